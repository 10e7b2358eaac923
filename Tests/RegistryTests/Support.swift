// Test helpers shared by the Registry suites come from TestSupport.
@_exported import TestSupport
