// Test helpers shared by the TrackingServer suites come from TestSupport.
@_exported import TestSupport
