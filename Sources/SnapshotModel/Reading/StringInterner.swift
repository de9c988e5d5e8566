/// One `String` per distinct ASCII content, looked up by bytes: reading a snapshot, the same
/// role, schema and grantor names recur hundreds of thousands of times, and sharing them saves
/// an allocation and a copy each (and memory). Strings short enough for Swift's inline form
/// are not worth it and are never passed here.
struct StringInterner {
    /// Strings of at most this many UTF-8 bytes are stored inline by `String` (64-bit).
    static let inlineLimit = 15

    private struct Entry {
        var hash: UInt64
        var value: String
    }

    private var entries: [Entry] = []
    /// Open addressing, linear probing: indexes into `entries`, -1 when empty.
    private var slots = [Int32](repeating: -1, count: 1024)

    /// The shared string whose UTF-8 is `bytes` (which must be valid UTF-8).
    mutating func string(for bytes: UnsafeBufferPointer<UInt8>) -> String {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if entries[entry].hash == hash, entries[entry].value.utf8.elementsEqual(bytes) { return entries[entry].value }
            slot = (slot + 1) & mask
        }
        let value = String(decoding: bytes, as: UTF8.self)
        guard entries.count < Int(Int32.max) else { return value }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, value: value))
        if entries.count * 2 > slots.count { grow() }
        return value
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    /// Swift's seeded hash: a snapshot's names come from whoever may create objects in the
    /// database, so a fixed hash could be flooded with colliding names.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
