import CCairo

extension Canvas {
    // MARK: - Batched vector drawing

    /// Strokes many separate segments `[x0, y0, x1, y1, …]` (4 numbers each) as one Cairo path.
    ///
    /// One path and one stroke for all segments (contour lines, grid edges) instead of a stroke
    /// per segment; round caps hide the seams where segments of one curve meet.
    public func strokeSegments(_ segments: [Double], color: RGBA, lineWidth: Double = 1) {
        precondition(segments.count % 4 == 0, "segments need 4 numbers each")
        guard !segments.isEmpty else { return }
        cairo_save(context)
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_new_path(context)
        for i in stride(from: 0, to: segments.count, by: 4) {
            cairo_move_to(context, segments[i], segments[i + 1])
            cairo_line_to(context, segments[i + 2], segments[i + 3])
        }
        cairo_stroke(context)
        cairo_restore(context)
    }

    /// Strokes several open polylines (each flat `[x0, y0, x1, y1, …]`) as one path in one colour.
    ///
    /// Non-finite points break a polyline instead of poisoning the path.
    public func strokePolylines(_ polylines: [[Double]], color: RGBA, lineWidth: Double = 1) {
        cairo_save(context)
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_new_path(context)
        for xy in polylines {
            var penDown = false
            for i in stride(from: 0, to: xy.count - 1, by: 2) {
                let x = xy[i], y = xy[i + 1]
                guard x.isFinite, y.isFinite, abs(x) < 1e6, abs(y) < 1e6 else {
                    penDown = false
                    continue
                }
                if penDown { cairo_line_to(context, x, y) } else { cairo_move_to(context, x, y) }
                penDown = true
            }
        }
        cairo_stroke(context)
        cairo_restore(context)
    }

    /// Fills one closed polygon given as flat pixel coordinates `[x0, y0, x1, y1, …]`.
    public func fillPolygon(_ xy: [Double], color: RGBA) {
        precondition(xy.count % 2 == 0, "polygon needs an even number of coordinates")
        guard xy.count >= 6, xy.allSatisfy({ $0.isFinite && abs($0) < 1e6 }) else { return }
        setColor(color)
        cairo_new_path(context)
        cairo_move_to(context, xy[0], xy[1])
        for i in stride(from: 2, to: xy.count, by: 2) {
            cairo_line_to(context, xy[i], xy[i + 1])
        }
        cairo_close_path(context)
        cairo_fill(context)
    }

    /// Strokes a dashed straight segment (`dash` px on, `dash` px off).
    public func strokeDashedLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                                 color: RGBA, lineWidth: Double = 1, dash: Double = 5) {
        cairo_save(context)
        var pattern = [dash, dash]
        cairo_set_dash(context, &pattern, 2, 0)
        strokeLine(from: start, to: end, color: color, lineWidth: lineWidth)
        cairo_restore(context)
    }

    /// Draws `text` rotated a quarter turn anticlockwise (reading bottom to top), centred on (x, y).
    public func drawVerticalText(_ text: String, x: Double, y: Double, size: Double, color: RGBA = .black) {
        let extents = measureText(text, size: size)
        cairo_save(context)
        cairo_translate(context, x, y)
        cairo_rotate(context, -Double.pi / 2)
        setColor(color)
        cairo_move_to(context, -extents.advance / 2, -extents.inkTop - extents.inkHeight / 2)
        cairo_show_text(context, text)
        cairo_new_path(context)
        cairo_restore(context)
    }
}
