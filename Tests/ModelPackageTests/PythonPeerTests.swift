import Foundation
import ModelPackage
import Testing

/// An independent reader (numpy, zlib, hashlib) decodes the tensor files from the documented
/// layout alone and agrees bit for bit with the values and checksums mltrack wrote.
@Suite struct PythonPeerTests {
    static let reader = """
    import sys, json, struct, zlib, hashlib, numpy as np
    out = {}
    for path in sys.argv[1:]:
        b = open(path, "rb").read()
        assert b[:8] == b"\\x89MLT\\r\\n\\x1a\\n", "magic"
        version, dtype, rank, reserved = struct.unpack_from("<HBBI", b, 8)
        assert version == 1 and reserved == 0
        shape = list(struct.unpack_from("<%dQ" % rank, b, 16))
        nbytes, crc, hcrc = struct.unpack_from("<QII", b, 16 + 8 * rank)
        h = 32 + 8 * rank
        assert hcrc == zlib.crc32(b[:h - 4]), "header crc"
        payload = b[h:]
        assert len(payload) == nbytes and crc == zlib.crc32(payload), "payload"
        dt = {1: "<f4", 2: "<f8", 3: "<i4", 4: "<i8"}[dtype]
        a = np.frombuffer(payload, dtype=dt).reshape(shape)
        bits = a.view({1: "<u4", 2: "<u8", 3: "<u4", 4: "<u8"}[dtype]).ravel()
        out[path] = {"shape": shape, "bits": ["%x" % int(v) for v in bits],
                     "sha256": hashlib.sha256(b).hexdigest()}
    print(json.dumps(out))
    """

    @Test(.enabled(if: PythonPeer.available, "needs MLTRACK_PYTHON (numpy)"))
    func numpyReadsTheTensorFilesFromTheDocumentedLayout() throws {
        let (dir, model, _) = try Fixture.savePackage(seed: 31)
        let manifest = try ModelPackage.load(from: dir).manifest
        let w = dir.appendingPathComponent("tensors/weights.mltensor").path
        let b = dir.appendingPathComponent("tensors/bias.mltensor").path
        let json = try PythonPeer.json(Self.reader, args: [w, b]) as? [String: [String: Any]]
        let sha = Dictionary(uniqueKeysWithValues: manifest.mltrack.files.map { (dir.path + "/" + $0.path, $0.sha256) })
        #expect(json?[w]?["shape"] as? [Int] == [5, 3])
        #expect(json?[w]?["bits"] as? [String] == model.weights.values.map { String($0.bitPattern, radix: 16) })
        #expect(json?[w]?["sha256"] as? String == sha[w])
        #expect(json?[b]?["shape"] as? [Int] == [1, 3])
        #expect(json?[b]?["bits"] as? [String] == model.bias.values.map { String($0.bitPattern, radix: 16) })
        #expect(json?[b]?["sha256"] as? String == sha[b])
    }
}
