// Test helpers shared by the model package suites come from TestSupport.
@_exported import TestSupport
