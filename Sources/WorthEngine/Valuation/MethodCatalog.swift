/// Every method worth offers, in the order menus list them.
public enum MethodCatalog {
    /// All methods.
    public static let all: [MethodDescriptor] = [
        // Each method file defines its descriptor; list it here to offer it everywhere.
        DataOOB.descriptor,
        KNNShapley.descriptor,
        LeaveOneOut.descriptor,
        InfluenceFunction.descriptor,
        InfluenceFunction.selfInfluenceDescriptor,
        SemivalueMethod.tmcShapley.descriptor,
        SemivalueMethod.betaShapley.descriptor,
        SemivalueMethod.banzhaf.descriptor,
        DVRL.descriptor,
        InRunShapley.descriptor,
    ]

    /// The method with command-line name `id`.
    public static func method(_ id: String) -> MethodDescriptor? {
        all.first { $0.id == id }
    }
}
