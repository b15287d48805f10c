import WorthEngine

/// The model behind the ranked table's "predicted" column and the row detail's class
/// probabilities: one L2 logistic regression (`LogisticRegression` with its defaults) fitted
/// once on every valued row of the experiment, with the labels the method values (flips
/// included), then asked for each valued row's class probabilities.
struct ReferenceModel: Sendable {
    let classCount: Int
    /// Class probabilities of valued row i at `i * classCount ..< (i + 1) * classCount`.
    private let probabilities: [Double]
    /// The most probable class of each valued row (ties to the lowest class index).
    let predicted: [Int]

    /// Fits on all rows of `problem.train` with `problem.trainLabels`.
    init(problem: ValuationProblem) {
        var model = LogisticRegression(classCount: problem.classCount)
        let rows = Array(0..<problem.count)
        model.fit(problem.train, labels: problem.trainLabels, rows: rows)
        classCount = problem.classCount
        var all: [Double] = []
        all.reserveCapacity(problem.count * classCount)
        for i in rows { all += model.probabilities(problem.train, row: i) }
        probabilities = all
        predicted = model.predict(problem.train, rows: rows)
    }

    /// Class probabilities of valued row `i`, in class-index order; they sum to 1.
    func probabilities(of i: Int) -> ArraySlice<Double> {
        probabilities[(i * classCount)..<((i + 1) * classCount)]
    }
}

/// Fits a `ReferenceModel` in the background, so a large file never freezes the UI. (On
/// 100,000 rows × 20 features it is a few tenths of a second of CPU,
/// which is why the workbench starts it when the run ends rather than beside it.)
extension BackgroundJob where News == ReferenceModel {
    convenience init(problem: ValuationProblem) {
        self.init(priority: .utility, computing: { ReferenceModel(problem: problem) })
    }
}
