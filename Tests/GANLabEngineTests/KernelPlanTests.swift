import Foundation
import Testing
@testable import GANLabEngine

@Suite("Kernel plans and the planner")
struct KernelPlanTests {
    @Test("the text form reads back, and every malformed plan is refused with its reason")
    func textForm() throws {
        let plan = KernelPlan(choices: [KernelPlan.Shape(512, 512): [.blas, .blas, .tiles], KernelPlan.Shape(2, 512): [.tiles, .tiles, .blas]])
        #expect(plan.description == "2x512:t,t,b 512x512:b,b,t")
        #expect(try KernelPlan(parsing: plan.description) == plan)
        #expect(try KernelPlan(parsing: "  2x512:t,t,b   512x512:b,b,t ") == plan)
        #expect(try KernelPlan(parsing: "fixed") == .fixed && KernelPlan.fixed.description == "fixed")
        for (text, reason) in [("", "empty"), ("512x512", "is not IN×OUT"), ("512x512:b,b", "three kernels"),
                               ("512x512:b,b,x", "three kernels"), ("0x512:b,b,t", "is not IN×OUT"),
                               ("axb:t,t,t", "is not IN×OUT"), ("2x3:t,t,t 2x3:b,b,b", "listed twice"), ("auto", "is not IN×OUT")] {
            #expect(throws: KernelPlan.ParseError.self, "\(text)") { try KernelPlan(parsing: text) }
            do { _ = try KernelPlan(parsing: text) } catch { #expect(error.description.contains(reason), "\(text): \(error)") }
        }
    }

    @Test("unlisted shapes follow the build's fixed rule; thin products have no choice")
    func lookup() {
        let wide = KernelPlan.Shape(KernelPlan.fixedBLASWidth, KernelPlan.fixedBLASWidth)
        #expect(KernelPlan.fixed.choice(.forward, wide) == .blas)
        #expect(KernelPlan.fixed.choice(.weight, KernelPlan.Shape(64, 64)) == .tiles)
        let plan = KernelPlan.fixed.setting(KernelPlan.Shape(64, 64), to: [.blas, .tiles, .blas])
        #expect(plan.choice(.forward, KernelPlan.Shape(64, 64)) == .blas && plan.choice(.input, KernelPlan.Shape(64, 64)) == .tiles)
        #expect(KernelPlan.Shape(512, 2).isThin(.forward) && KernelPlan.Shape(512, 2).isThin(.weight) && !KernelPlan.Shape(512, 2).isThin(.input))
        #expect(KernelPlan.Shape(2, 512).isThin(.input) && !KernelPlan.Shape(2, 512).isThin(.forward))
    }

    @Test("the planner times both kernels of every product with a choice, and caches what it chose")
    func planner() throws {
        let needs = [KernelPlanner.Need(KernelPlan.Shape(2, 48), batch: 64), KernelPlanner.Need(KernelPlan.Shape(48, 48), batch: 64),
                     KernelPlanner.Need(KernelPlan.Shape(48, 48), batch: 128), KernelPlanner.Need(KernelPlan.Shape(48, 1), batch: 128),
                     KernelPlanner.Need(KernelPlan.Shape(3, 2), batch: 64)]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("planner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = KernelPlanner.plan(for: needs, threads: 2, cacheFolder: folder)
        // 2x48: forward and weight; 48x48 (once, at batch 128): all three; 48x1: the input product.
        #expect(first.measured.count == 2 + 3 + 1)
        #expect(first.measured.allSatisfy { $0.tiles > 0 && $0.blas > 0 && $0.tiles.isFinite && $0.blas.isFinite })
        #expect(first.measured.filter { $0.shape == KernelPlan.Shape(48, 48) }.allSatisfy { $0.batch == 128 })
        #expect(Set(first.plan.choices.keys) == [KernelPlan.Shape(2, 48), KernelPlan.Shape(48, 48), KernelPlan.Shape(48, 1)])
        for m in first.measured { #expect(first.plan.choice(m.product, m.shape) == m.choice) }
        // The second plan comes from the cache file: nothing measured, the same plan.
        let second = KernelPlanner.plan(for: needs, threads: 2, cacheFolder: folder)
        #expect(second.measured.isEmpty && second.plan == first.plan)
        let cache = try String(contentsOfFile: folder + "/kernel-plans.json", encoding: .utf8)
        #expect(cache.contains("| 2 threads | planner 2"))
        #expect(cache.contains("\"48x48@128\""))
    }
}
