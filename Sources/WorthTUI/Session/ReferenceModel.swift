import WorthEngine

/// The model behind the ranked table's "predicted" column, the row detail's class
/// probabilities and each row's suggested label: cross-fitted L2 logistic regressions
/// (`CrossFittedProbabilities`, 5 stratified folds by the run's seed) on the valued rows with
/// the labels the method values (flips included), so a mislabeled row never vouches for its
/// own label.
struct ReferenceModel: Sendable {
    let fitted: CrossFittedProbabilities

    /// The most probable class of each valued row (ties to the lowest class index): its
    /// suggested label.
    var predicted: [Int] { fitted.predicted }

    /// Class probabilities of valued row `i`, in class-index order; they sum to 1.
    func probabilities(of i: Int) -> [Double] { fitted.probabilities(of: i) }
}

/// Fits a `ReferenceModel` in the background, so a large file never freezes the UI. (On
/// 100,000 rows × 20 features it is a few seconds of CPU, which is why the workbench starts it
/// when the run ends rather than beside it.)
extension BackgroundJob where News == ReferenceModel {
    convenience init(experiment: Experiment) {
        let p = experiment.problem, seed = experiment.options.seed
        self.init(priority: .utility) { box in
            guard let fitted = try? await CrossFittedProbabilities.fit(p.train, labels: p.trainLabels, classCount: p.classCount,
                                                                        seed: seed) else { return }
            box.post(ReferenceModel(fitted: fitted))
        }
    }
}
