/// The version of ganlab, printed by `ganlab --version`.
public enum GANLabVersion {
    /// Semantic version of the lab (command line, experiment files and on-disk formats).
    public static let current = "0.7.0"
}
