import Foundation
import Yams

/// One point of a sweep's grid: a fully resolved spec (no `sweep` section) and its label.
///
/// ```swift
/// for point in try spec.grid() { print(point.label, point.spec.trainer) }   // "c=0.1,factors=16" …
/// ```
public struct SweepPoint: Sendable, Hashable {
    /// `c=0.1,factors=16`: each axis's last key (the full path where two axes share it) and value.
    public var label: String
    /// The axis values, in axis order.
    public var assignments: [SpecOverride]
    public var spec: ExperimentSpec
}

extension ExperimentSpec {
    /// The grid of ``sweep`` (one point, labelled "", when there is no sweep): the cartesian
    /// product in axis order, the last axis varying fastest. Each point is the spec's tree with the
    /// point's values set, decoded strictly (an axis path the schema lacks, or a value of the wrong
    /// type, is an error naming `sweep.<path>` and the value).
    public func grid() throws -> [SweepPoint] {
        guard let sweep else { return [SweepPoint(label: "", assignments: [], spec: self)] }
        guard sweep.pointCount <= SweepSpec.maximumPoints else {
            throw ExperimentError(field: "sweep", "the grid has more than \(SweepSpec.maximumPoints) points")
        }
        let base = try sweepBase()
        let lastKeys = sweep.axes.map { a -> String in
            if case .key(let k)? = a.path.elements.last { return k }
            return a.path.description
        }
        let names = sweep.axes.enumerated().map { i, a in
            lastKeys.filter { $0 == lastKeys[i] }.count > 1 ? a.path.description : lastKeys[i]
        }
        var points: [SweepPoint] = []
        var index = [Int](repeating: 0, count: sweep.axes.count)
        while true {
            let sets = sweep.axes.enumerated().map { i, a in SpecOverride(path: a.path, value: a.values[index[i]]) }
            let spec = try point(base, sets)
            let label = zip(names, sets).map { "\($0)=\($1.value.text)" }.joined(separator: ",")
            points.append(SweepPoint(label: label, assignments: sets, spec: spec))
            var axis = sweep.axes.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < sweep.axes[axis].values.count { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { break }
        }
        return points
    }

    /// The spec's tree without its sweep section.
    private func sweepBase() throws -> Node {
        guard let root = try Yams.compose(yaml: tree), case .mapping(let m) = root else {
            throw ExperimentError(field: "sweep", "the spec tree is missing")
        }
        return SpecNode.removing(m, "sweep")
    }

    /// The spec of one combination of sweep values.
    func grid(only sets: [SpecOverride]) throws -> ExperimentSpec {
        try point(try sweepBase(), sets)
    }

    private func point(_ base: Node, _ sets: [SpecOverride]) throws -> ExperimentSpec {
        var spec: ExperimentSpec
        var tree = base
        do {
            for o in sets { tree = try o.apply(to: tree, file: nil) }
            spec = try Self.decode(tree, file: nil, featuresFile: nil, directory: directory, overrides: [])
            try Self.checkOverridesExist(sets, in: spec, file: nil)
        } catch let e as ExperimentError {
            let errPath = try? SpecPath(e.field)
            let o = sets.first { set in errPath.map { $0.starts(with: set.path) || set.path.starts(with: $0) } ?? false }
            let message = e.message.replacingOccurrences(of: " (from --set \(o?.text ?? ""))", with: "")
            throw ExperimentError(field: o.map { "sweep.\($0.path)" } ?? "sweep",
                                  "with \(sets.map(\.text).joined(separator: ", ")): \(e.field): \(message)")
        }
        spec.directory = directory
        spec.featuresFile = featuresFile
        spec.tree = (try? Yams.serialize(node: tree)) ?? ""
        return spec
    }
}
