// Test helpers shared by the Tracking suites come from TestSupport.
@_exported import TestSupport
