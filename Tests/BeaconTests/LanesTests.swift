import Foundation
import XCTest
@testable import BeaconOutput

/// `Lanes`: every item once, each worker starting on its own contiguous lane (so that two
/// cores make files in different series folders), and no item lost when lanes run dry at
/// different times.
final class LanesTests: XCTestCase {
    func testEveryItemRunsOnceAndEachWorkerStartsOnItsOwnLane() {
        for (count, workers, chunk) in [(0, 2, 16), (1, 2, 16), (2, 2, 1), (7, 3, 2), (1000, 2, 16), (1001, 4, 7), (50, 8, 100)] {
            let lock = NSLock()
            var seen = [Int](repeating: 0, count: count)
            var first: [Int: Int] = [:]
            Lanes.perWorker(count: count, workers: workers, chunk: chunk) { w in
                var started = false
                return { i in
                    lock.lock()
                    seen[i] += 1
                    if !started { first[w] = i; started = true }
                    lock.unlock()
                }
            }
            XCTAssertEqual(seen, [Int](repeating: 1, count: count), "\(count) items on \(workers) workers, chunks of \(chunk)")
            let n = max(1, min(workers, count))
            for (w, i) in first where n > 1 {
                // A worker begins at the front of its lane, or (its lane taken while it
                // started) somewhere another lane still had items.
                if i != w * count / n {
                    XCTAssertFalse((w * count / n..<(w + 1) * count / n).contains(i), "worker \(w) began inside its own lane at \(i)")
                }
            }
        }
    }

    /// The chunks in a fixed order of asking: lanes are contiguous halves, each worker
    /// starts at the front of its own, and a worker with nothing left takes from the back of
    /// the fullest lane (far from where that lane's worker is), until nothing is left.
    func testTheOrderOfChunks() {
        let lanes = LaneState(count: 100, lanes: 2, chunk: 16)
        XCTAssertEqual(lanes.next(for: 0), 0..<16)
        XCTAssertEqual(lanes.next(for: 1), 50..<66)
        XCTAssertEqual(lanes.next(for: 0), 16..<32)
        XCTAssertEqual(lanes.next(for: 0), 32..<48)
        XCTAssertEqual(lanes.next(for: 0), 48..<50)
        // Lane 0 done; lane 1 holds 66..<100: worker 0 takes its back.
        XCTAssertEqual(lanes.next(for: 0), 84..<100)
        XCTAssertEqual(lanes.next(for: 1), 66..<82)
        XCTAssertEqual(lanes.next(for: 1), 82..<84)
        XCTAssertNil(lanes.next(for: 1))
        XCTAssertNil(lanes.next(for: 0))
        // Three lanes of 7 items: 0..<2, 2..<4, 4..<7.
        let three = LaneState(count: 7, lanes: 3, chunk: 2)
        XCTAssertEqual(three.next(for: 2), 4..<6)
        XCTAssertEqual(three.next(for: 2), 6..<7)
        XCTAssertEqual(three.next(for: 2), 0..<2)   // the fullest lane (ties: the first), from its back
        XCTAssertEqual(three.next(for: 1), 2..<4)
        XCTAssertNil(three.next(for: 0))
    }

    /// One slow item in the first lane: the other worker takes the rest of that lane from
    /// its back, so the whole run takes about as long as the slow item, not a lane's worth.
    func testAWorkerWhoseLaneIsDoneTakesFromTheBackOfAnother() {
        let count = 64
        let lock = NSLock()
        var order: [(worker: Int, item: Int)] = []
        Lanes.perWorker(count: count, workers: 2, chunk: 4) { w in
            return { i in
                if i == 0 { Thread.sleep(forTimeInterval: 0.3) }
                lock.lock(); order.append((w, i)); lock.unlock()
            }
        }
        XCTAssertEqual(Set(order.map(\.item)), Set(0..<count))
        // Items 4..<32 (lane 0 after the slow chunk) were taken by the worker of lane 1,
        // from the back: 28..<32 before 24..<28.
        let byOther = order.filter { $0.item >= 4 && $0.item < 32 }
        let thief = order.first { $0.item == 32 }!.worker
        XCTAssertTrue(byOther.allSatisfy { $0.worker == thief }, "\(order)")
        let firstStolen = byOther.first!.item
        XCTAssertGreaterThanOrEqual(firstStolen, 28, "taken from the back first: \(byOther.map(\.item))")
    }
}
