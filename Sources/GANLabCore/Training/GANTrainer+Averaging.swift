// MARK: - Generator weight averaging

/// Yazıcı, Foo, Winkler, Yap, Piliouras, Chandrasekhar, "The Unusual Effectiveness of Averaging in
/// GAN Training", ICLR 2019: an exponential moving average of the generator's parameters,
///
///     θ_EMA ← β·θ_EMA + (1 − β)·θ   after every generator update, θ_EMA = θ₀ at the start,
///
/// often generates better samples than the last iterate θ, which keeps circling an equilibrium
/// the average sits closer to. The average takes no part in training: D and G train exactly as
/// without it, and a run stores both (snapshot format 3), so either can be drawn and measured.
extension GANTrainer {
    /// θ_EMA, a copy of G's averaged parameters, or nil when `train.generatorAverage` is 0.
    public var generatorAverage: [Float]? { averageStorage.map { Array($0) } }

    /// Sets θ_EMA to G's parameters (a fresh run's initial weights).
    func startAverage() {
        guard let average = averageStorage else { return }
        _ = average.update(fromContentsOf: generator.parameters)
    }

    /// Sets θ_EMA to a snapshot's stored average (the snapshot's config checks guarantee one of
    /// the right length when averaging is on).
    func restoreAverage(_ values: [Float]?) {
        guard let average = averageStorage else { return }
        guard let values, values.count == average.count else {
            preconditionFailure("a snapshot of a run with train.generatorAverage > 0 must store the average")
        }
        _ = average.update(fromContentsOf: values)
    }

    /// θ_EMA ← b·θ_EMA + c·θ, element by element in Float with b = Float(β) and c = Float(1 − β)
    /// (1 − β taken in Double): the same bits whatever the thread count, since each element is
    /// one expression of its own two values. One thread; nothing is allocated.
    func updateAverage() {
        guard let average = averageStorage?.baseAddress, let theta = generator.parameters.baseAddress else { return }
        let beta = config.train.generatorAverage
        let b = Float(beta), c = Float(1 - beta)
        for i in 0..<generator.parameterCount {
            average[i] = b * average[i] + c * theta[i]
        }
    }
}
