/// A fitted model that can be saved to and loaded from a model package.
///
/// Not itself required to be Codable: only `PackageState` is (it defaults to `Self`, which then
/// must be Codable).
///
/// A conformer names its kind (`flavor`) and the version of its stored layout, splits itself into
/// a small JSON `PackageState` plus named binary tensors, and rebuilds from them. A small model can
/// store everything as JSON: `PackageState` defaults to `Self`, with no tensors, so conformance is
/// two lines. Large arrays (factors, coefficients) belong in tensors: exact bits, no JSON parsing.
///
/// ```swift
/// extension ALSModel: PackageableModel {
///     public static let flavor = "als"
///     public static let formatVersion = 1
///     public struct PackageState: Codable, Sendable { var users: IdMap; var items: IdMap; var factors: Int }
///     public func packageState() -> PackageState { .init(users: users, items: items, factors: factors) }
///     public func packageTensors() -> [String: TensorData] {
///         ["user_factors": TensorData(userFactors), "item_factors": TensorData(itemFactors)]
///     }
///     public init(packageState s: PackageState, tensors: [String: TensorData], formatVersion: Int) throws {
///         self.init(users: s.users, items: s.items,
///                   userFactors: try tensors.matrix("user_factors", of: Float.self),
///                   itemFactors: try tensors.matrix("item_factors", of: Float.self))
///     }
/// }
/// ```
public protocol PackageableModel: Sendable {
    /// What is stored as `state` JSON (`model.json`).
    associatedtype PackageState: Codable & Sendable = Self

    /// The model kind written to `flavors.mltrack.model_kind`, e.g. `logistic_regression`, `als`.
    /// Must be a valid identifier (`[a-z0-9_]+`) and never change for a given type.
    static var flavor: String { get }
    /// The version of this kind's state + tensor layout; bump it when the layout changes. A
    /// package with a higher version than the loading build's is refused; a lower one is passed to
    /// `init(packageState:tensors:formatVersion:)` to migrate.
    static var formatVersion: Int { get }

    /// The JSON part.
    func packageState() throws -> PackageState
    /// The binary part: names must be 1–128 of `A-Z a-z 0-9 _ - .`, not starting with `.`.
    func packageTensors() throws -> [String: TensorData]
    /// Rebuilds the model from what ``packageState()`` and ``packageTensors()`` gave, written by
    /// format version `formatVersion` (≤ ``formatVersion``).
    init(packageState: PackageState, tensors: [String: TensorData], formatVersion: Int) throws
}

extension PackageableModel where PackageState == Self {
    public func packageState() throws -> Self { self }
    public func packageTensors() throws -> [String: TensorData] { [:] }
    public init(packageState: Self, tensors: [String: TensorData], formatVersion: Int) throws {
        self = packageState
    }
}
