/// A model trained by mini-batch gradient descent that values each batch's rows as it steps
/// (see `InRunShapley`): softmax regression (`InRunSoftmaxTrainer`) or a small network
/// (`InRunNetworkTrainer`). A trainer owns its scratch space, so a step allocates nothing, and
/// it is used by one run on one worker.
protocol InRunTrainer: AnyObject {
    /// The model's parameters, in the trainer's own layout.
    var theta: [Double] { get }

    /// One step on the rows `batch` of `train` (row-major, `features` columns): adds each
    /// row's Shapley value in this step's (first- or second-order) game to `values[row]` and
    /// moves θ by the batch-mean gradient times `learningRate`. The validation loss is the mean
    /// cross-entropy over `validation.rows`.
    func step(batch: UnsafeBufferPointer<Int>,
              train: (x: UnsafePointer<Double>, labels: [Int]),
              validation: (x: UnsafePointer<Double>, labels: [Int], rows: UnsafeBufferPointer<Int>),
              learningRate: Double, order: InRunShapley.Order,
              values: UnsafeMutablePointer<Double>)
}
