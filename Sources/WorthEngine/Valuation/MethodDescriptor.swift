/// A valuation method as the command line and the workbench see it: its names, its declared
/// parameters, and the one way to build its valuator.
public struct MethodDescriptor: Sendable, Identifiable {
    /// The name used on the command line (`data-oob`).
    public var id: String
    /// The name shown to people (`Data-OOB`).
    public var title: String
    /// One line: what the method does and when to use it.
    public var summary: String
    /// Whether it scores models on validation rows (Data-OOB and self-influence do not): then
    /// a problem without validation rows is refused where it is built for this method
    /// (`Experiment`), with `InputError.Reason.needsValidation`.
    public var needsValidation: Bool
    /// Its tunable parameters, in the order front ends list them.
    public var parameters: [AnyParameter]
    /// The session settings it can use (sharding, resuming, saving its state); it refuses the
    /// others. Every method whose work splits into parts that combine exactly takes `.shard`
    /// and `.stateOut` (`worth merge`); DVRL, one training run, takes none.
    public var sessionSettings: Set<RunSession.Setting>
    /// What explains one validation prediction by the valued rows, for methods that can
    /// (influence functions); nil for the others.
    public var explainer: Explainer?
    private let build: @Sendable (ParameterValues, RunSession) throws -> any Valuator

    /// Explains the prediction of validation row `validationRow` (an index into
    /// `problem.validation`) by the `count` valued rows that helped it most and the `count` that
    /// hurt it most, with the method's parameter values.
    public typealias Explainer = @Sendable (_ problem: ValuationProblem, _ validationRow: Int, _ count: Int,
                                            _ values: ParameterValues) throws -> InfluenceFunction.Explanation

    /// - Parameter make: builds the valuator from parameter values (checked against
    ///   `parameters`) and a session that uses only `sessionSettings`.
    public init(id: String, title: String, summary: String, needsValidation: Bool,
                parameters: [any ParameterDeclaration], sessionSettings: Set<RunSession.Setting> = [],
                explainer: Explainer? = nil,
                make: @escaping @Sendable (ParameterValues, RunSession) throws -> any Valuator) {
        self.id = id
        self.title = title
        self.summary = summary
        self.needsValidation = needsValidation
        self.parameters = parameters.map(\.erased)
        self.sessionSettings = sessionSettings
        self.explainer = explainer
        build = make
    }

    /// The valuator for `values` (this method's parameters) running as `session` says; throws
    /// `.unsupportedSetting` when the session uses a setting the method cannot.
    public func make(_ values: ParameterValues, session: RunSession = RunSession()) throws -> any Valuator {
        try accept(session.settings)
        var session = session
        session.origin = RunOrigin(method: id, parameters: values.all)
        return try build(values, session)
    }

    /// Throws `.unsupportedSetting` for the first of `settings` this method cannot use
    /// (`.unsplittable` when that is `.shard`: its work has no parts that combine). Callers
    /// that must do work to fill in a session (load a saved state) can ask first.
    public func accept(_ settings: [RunSession.Setting]) throws {
        guard let refused = settings.first(where: { !sessionSettings.contains($0) }) else { return }
        if refused == .shard { throw InputError(.unsplittable(method: id)) }
        throw InputError(.unsupportedSetting(refused, method: id,
                                             supportedBy: MethodCatalog.all.filter { $0.sessionSettings.contains(refused) }.map(\.id)))
    }

    /// The validation fraction to split off when the user does not choose one: the experiment
    /// setting's default for methods that score on validation rows, 0 for the others, which
    /// then value every row.
    public var defaultValidationFraction: Double {
        needsValidation ? ExperimentSettings.validationFraction.defaultValue : 0
    }

    /// Default values for this method's parameters.
    public var defaults: ParameterValues { ParameterValues(parameters) }
}
