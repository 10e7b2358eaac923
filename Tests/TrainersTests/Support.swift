// Test helpers shared by the trainer suites come from TestSupport (SeededGenerator, PythonPeer).
@_exported import TestSupport
