/// The `flavors.mltrack` section of `MLmodel`: what kind of model this is, the versions needed to
/// read it, where its parts are, and the checksum of every file.
///
/// ```swift
/// let flavor = loaded.manifest.mltrack
/// flavor.modelKind          // "logistic_regression"
/// flavor.tensors["coefficients"]?.shape // [40]
/// ```
public struct MltrackFlavor: Sendable, Hashable {
    /// The model kind (``PackageableModel/flavor``), e.g. `logistic_regression` or `als`.
    public var modelKind: String
    /// Version of the model kind's state layout (``PackageableModel/formatVersion``).
    public var formatVersion: Int
    /// Version of the package layout itself (``ModelPackage/formatVersion``).
    public var packageFormatVersion: Int
    /// The model's JSON state, relative to the package root.
    public var stateFile: String
    /// The fitted feature pipeline's JSON, when the package has one.
    public var pipelineFile: String?
    /// Binary tensors by name.
    public var tensors: [String: TensorEntry]
    /// Size and SHA-256 of every file of the package except `MLmodel`, sorted by path.
    public var files: [FileChecksum]

    public init(modelKind: String, formatVersion: Int, packageFormatVersion: Int, stateFile: String,
                pipelineFile: String?, tensors: [String: TensorEntry], files: [FileChecksum]) {
        self.modelKind = modelKind
        self.formatVersion = formatVersion
        self.packageFormatVersion = packageFormatVersion
        self.stateFile = stateFile
        self.pipelineFile = pipelineFile
        self.tensors = tensors
        self.files = files
    }
}

/// Where a tensor is stored and what the manifest promises about it (checked against the file).
public struct TensorEntry: Sendable, Hashable {
    public var path: String
    public var dtype: TensorData.DType
    public var shape: [Int]

    public init(path: String, dtype: TensorData.DType, shape: [Int]) {
        self.path = path
        self.dtype = dtype
        self.shape = shape
    }
}

/// MLflow's `saved_input_example_info`: the example rows saved beside the model.
public struct InputExampleInfo: Sendable, Hashable {
    /// `input_example.json`: `{"columns": [...], "data": [[...]]}` (pandas split orient).
    public var artifactPath: String
    /// `serving_input_example.json`: a ready `/invocations` body (`{"dataframe_split": ...}`).
    public var servingInputPath: String?
    public var pandasOrient: String
    public var type: String

    public init(artifactPath: String, servingInputPath: String?, pandasOrient: String = "split", type: String = "dataframe") {
        self.artifactPath = artifactPath
        self.servingInputPath = servingInputPath
        self.pandasOrient = pandasOrient
        self.type = type
    }
}

/// Example input rows for ``ModelPackage/SaveOptions/inputExample``, in pandas split orient.
///
/// ```swift
/// let ex = InputExample(columns: ["tenure_months", "plan"], data: [[.int(12), .string("pro")]])
/// ```
public struct InputExample: Sendable, Hashable, Codable {
    public var columns: [String]
    public var data: [[ModelValue]]

    public init(columns: [String], data: [[ModelValue]]) {
        self.columns = columns
        self.data = data
    }
}
