extension ValuationEstimate {
    /// Throws an `InputError` when a value is not finite. For the methods that value every row
    /// in one pass (influence, self-influence), a nan or infinite value means the
    /// model's arithmetic overflowed (features far outside the range of the rows it was fitted
    /// on, say): refusing says so, where writing an empty value would look like a result.
    func requireFinite(method: String) throws {
        let bad = values.count { !$0.isFinite }
        guard bad > 0 else { return }
        throw InputError("\(method): \(bad) of \(values.count) rows got no finite value: the model's arithmetic overflowed (are some features, or validation rows, far outside the valued rows' range?)")
    }
}
