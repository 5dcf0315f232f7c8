/// A dense row-major matrix of `Float`: `rows × cols` values in `storage`.
///
/// The public currency of the engine for inputs and outputs that cross the API (probe latents,
/// generated points). Hot buffers inside a network are preallocated pointers, not `Matrix`.
public struct Matrix: Equatable, Sendable {
    /// Number of rows (samples).
    public var rows: Int
    /// Number of columns (features).
    public var cols: Int
    /// Row-major values: element (r, c) is `storage[r * cols + c]`.
    public var storage: [Float]

    /// A matrix of zeros.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: 0, count: rows * cols)
    }

    /// A matrix over existing row-major values.
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "storage has \(storage.count) values, expected \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Element (r, c).
    @inlinable
    public subscript(r: Int, c: Int) -> Float {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }
}
