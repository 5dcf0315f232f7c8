import Foundation
import Testing
import GANLabCore

/// Headless Chromium (Debian's `chromium`, installed by `make test`): `--dump-dom` prints the
/// DOM after the page's scripts ran, `--screenshot` writes a PNG.
enum Chromium {
    static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs chromium headless with `arguments`; returns (stdout, stderr).
    static func run(_ arguments: [String]) throws -> (String, String) {
        let r = try runProcess(try #require(path, "chromium is not installed (make test installs it)"),
                               ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"] + arguments)
        return (r.stdout, r.stderr)
    }

    /// The DOM of `url` after its scripts ran, and the console lines it logged (Chromium prints
    /// every console message, an error or an uncaught exception among them, as a ":CONSOLE" line).
    static func dom(_ url: String) throws -> (dom: String, console: [String]) {
        let (dom, log) = try run(["--dump-dom", url])
        return (dom, log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init))
    }

    /// Takes a `width`×`height` screenshot of `url` into `file` and expects it to decode with
    /// the lab's PNG decoder and not to be blank.
    static func expectScreenshot(_ url: String, file: String, width: Int = 1000, height: Int = 1400) throws {
        _ = try run(["--screenshot=\(file)", "--window-size=\(width),\(height)", url])
        let picture = try PNGDecoder.decode([UInt8](try #require(FileManager.default.contents(atPath: file))))
        let mean = picture.gray.reduce(0, +) / Float(picture.gray.count)
        let variance = picture.gray.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(picture.gray.count)
        #expect(picture.width == width && variance > 0.005, "blank screenshot? variance \(variance)")
    }
}

/// The first match of `pattern`'s first group in `text`.
func capture(_ pattern: String, in text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
          let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
          let r = Range(m.range(at: 1), in: text) else { return nil }
    return String(text[r])
}

/// Every `src` and `href` value in `dom` (anchors within the page excluded).
func links(in dom: String) -> [String] {
    let regex = try! NSRegularExpression(pattern: ##"(?:src|href)="([^"#]+)""##)
    return regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom))
        .compactMap { Range($0.range(at: 1), in: dom).map { String(dom[$0]) } }
}

/// Expects every relative link of `dom` to resolve inside `folder`, and every `<img>` to have
/// alt text; returns the number of relative links checked.
@discardableResult
func expectLinksResolveAndAltText(_ dom: String, folder: String) throws -> Int {
    let base = URL(fileURLWithPath: folder)
    let relative = links(in: dom).filter { !$0.contains(":") }
    for link in relative {
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent(link).path), "broken link \(link)")
    }
    let withoutAlt = try NSRegularExpression(pattern: #"<img(?![^>]*alt=")[^>]*>"#)
        .numberOfMatches(in: dom, range: NSRange(dom.startIndex..., in: dom))
    #expect(withoutAlt == 0, "\(withoutAlt) pictures without alt text")
    return relative.count
}
