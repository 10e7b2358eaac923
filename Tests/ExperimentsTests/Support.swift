// Test helpers shared by the Experiments suites come from TestSupport.
@_exported import TestSupport
