/// The classifier a method refits on subsets of the rows (leave-one-out, the Monte Carlo
/// semivalues): a parameter choice. Each method builds its own configuration of the kind (its
/// tolerance, its seed), so this names the kind only.
public enum ModelKind: String, ParameterChoice {
    /// L2 logistic regression (`LogisticRegression`).
    case logistic
    /// k-nearest neighbours with k = 5 (`KNearestNeighbors`).
    case knn
    /// An unpruned CART tree over all features (`DecisionTree`).
    case tree

    public var summary: String {
        switch self {
        case .logistic: "L2 logistic regression"
        case .knn: "k-nearest neighbours, k = 5"
        case .tree: "an unpruned decision tree over all features"
        }
    }
}
