// Test helpers shared by the Serving suites come from TestSupport.
@_exported import TestSupport
