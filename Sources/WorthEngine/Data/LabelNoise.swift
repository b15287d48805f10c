/// Seeded label flipping, for experiments with known noise (OpenDataVal's `mix_labels`).
public enum LabelNoise {
    /// Flips `round(labels.count × fraction)` labels chosen without replacement; each chosen
    /// label moves by a random 1…C−1 classes (mod C), so it always changes.
    ///
    /// - Parameters:
    ///   - labels: class indices, changed in place.
    ///   - fraction: in [0, 1].
    ///   - classCount: C ≥ 2.
    /// - Returns: the positions (into `labels`) that were flipped, ascending.
    public static func flip(_ labels: inout [Int], fraction: Double, classCount: Int, seed: UInt64) -> [Int] {
        precondition((0...1).contains(fraction) && classCount >= 2)
        let count = Int((Double(labels.count) * fraction).rounded())
        guard count > 0 else { return [] }
        var rng = SeededGenerator(seed: seed, stream: 0xF11B)
        let chosen = Array(rng.permutation(labels.count).prefix(count)).sorted()
        for i in chosen {
            labels[i] = (labels[i] + 1 + rng.nextInt(below: classCount - 1)) % classCount
        }
        return chosen
    }
}
