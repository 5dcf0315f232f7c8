import CCairo

/// Where a text's anchor point sits horizontally.
public enum HorizontalTextAlignment: Sendable {
    /// The anchor is the left end of the text.
    case left
    /// The anchor is the horizontal centre of the text.
    case center
    /// The anchor is the right end of the text.
    case right
}

/// Where a text's anchor point sits vertically.
public enum VerticalTextAlignment: Sendable {
    /// The anchor is on the baseline.
    case baseline
    /// The anchor is at the top of the inked glyphs.
    case top
    /// The anchor is halfway up the inked glyphs.
    case middle
    /// The anchor is at the bottom of the inked glyphs.
    case bottom
}

/// The size of a text run in px, from Cairo's text extents.
public struct TextExtents: Equatable, Sendable {
    /// How far the pen advances: the width to use for horizontal alignment.
    public var advance: Double
    /// Height of the inked glyphs.
    public var inkHeight: Double
    /// Offset from the baseline to the top of the ink (negative: ink is above the baseline).
    public var inkTop: Double
}

extension Canvas {
    /// Measures `text` in the sans font at `size` px.
    public func measureText(_ text: String, size: Double, bold: Bool = false) -> TextExtents {
        selectFont(size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return TextExtents(advance: extents.x_advance, inkHeight: extents.height, inkTop: extents.y_bearing)
    }

    /// Draws `text` in the sans font (Cairo's toy text API) with its anchor at (x, y).
    @discardableResult
    public func drawText(_ text: String, x: Double, y: Double, size: Double, color: RGBA = .black,
                         align: HorizontalTextAlignment = .left, vertical: VerticalTextAlignment = .baseline,
                         bold: Bool = false) -> TextExtents {
        let extents = measureText(text, size: size, bold: bold)
        let left: Double
        switch align {
        case .left: left = x
        case .center: left = x - extents.advance / 2
        case .right: left = x - extents.advance
        }
        let baseline: Double
        switch vertical {
        case .baseline: baseline = y
        case .top: baseline = y - extents.inkTop
        case .middle: baseline = y - extents.inkTop - extents.inkHeight / 2
        case .bottom: baseline = y - extents.inkTop - extents.inkHeight
        }
        setColor(color)
        cairo_move_to(context, left, baseline)
        cairo_show_text(context, text)
        cairo_new_path(context)
        return extents
    }

    private func selectFont(size: Double, bold: Bool) {
        cairo_select_font_face(context, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }
}
