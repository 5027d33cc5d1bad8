#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace litescope {

// Byte strings by byte-string keys, holding about `capacity` bytes at most. Entries live in two
// arenas, each a buffer of [key size][value size][key][value] records with an open-addressing
// index: no allocation per entry, and dropping a whole arena is one clear(). Two generations
// approximate least-recently-used: when the recent arena is full it becomes the older one, and
// what was older and not asked for since is dropped; an entry found in the older arena moves to
// the recent one. Not thread-safe.
class BoundedCache {
public:
    explicit BoundedCache(std::size_t capacity)
        : m_half(capacity / 2) {}

    // The value held for `key` (of hash `hash`); the view stays valid until the next call.
    std::optional<std::string_view> find(std::string_view key, std::size_t hash) {
        if (const auto at = m_recent.find(key, hash))
            return m_recent.valueAt(*at);
        const auto at = m_older.find(key, hash);
        if (!at)
            return std::nullopt;
        // Copied out first: the older arena is cleared if the recent one fills up now.
        const std::string value(m_older.valueAt(*at));
        m_older.erase(key, hash);
        insert(key, hash, value);
        return m_recent.valueAt(*m_recent.find(key, hash));
    }

    void insert(std::string_view key, std::size_t hash, std::string_view value) {
        if (m_recent.find(key, hash))
            return; // made meanwhile on another thread
        if (m_recent.bytes() + Arena::recordBytes(key, value) > m_half && m_recent.size() > 0) {
            std::swap(m_recent, m_older);
            m_recent.clear(); // keeps its memory for the next generation
        }
        m_recent.insert(key, hash, value, m_half);
    }

    std::size_t bytes() const { return m_recent.bytes() + m_older.bytes(); }

private:
    class Arena {
    public:
        static std::size_t recordBytes(std::string_view key, std::string_view value) {
            return 2 * sizeof(std::uint32_t) + key.size() + value.size() + 2 * sizeof(Slot);
        }
        std::size_t size() const { return m_count; }
        std::size_t bytes() const { return m_records.size() + m_slots.size() * sizeof(Slot); }

        // The index of `key`'s slot.
        std::optional<std::size_t> find(std::string_view key, std::size_t hash) const {
            if (m_slots.empty())
                return std::nullopt;
            const auto tag = std::uint32_t(hash);
            for (std::size_t i = hash & (m_slots.size() - 1);; i = (i + 1) & (m_slots.size() - 1)) {
                const Slot& slot = m_slots[i];
                if (slot.offset == 0)
                    return std::nullopt;
                if (slot.tag == tag && slot.offset != erased && keyAt(slot) == key)
                    return i;
            }
        }
        std::string_view valueAt(std::size_t index) const {
            const Slot& slot = m_slots[index];
            const char* record = m_records.data() + slot.offset - 1;
            std::uint32_t sizes[2];
            std::memcpy(sizes, record, sizeof sizes);
            return {record + sizeof sizes + sizes[0], sizes[1]};
        }
        void insert(std::string_view key, std::size_t hash, std::string_view value,
                    std::size_t expected) {
            if (m_records.empty() && m_records.capacity() < expected)
                m_records.reserve(expected); // grown once, not by doubling past the cap
            if ((m_count + m_erased + 1) * 2 > m_slots.size())
                grow();
            const std::uint32_t sizes[2] = {std::uint32_t(key.size()), std::uint32_t(value.size())};
            const auto offset = std::uint32_t(m_records.size() + 1);
            m_records.append(reinterpret_cast<const char*>(sizes), sizeof sizes);
            m_records.append(key);
            m_records.append(value);
            place({std::uint32_t(hash), offset});
            ++m_count;
        }
        void erase(std::string_view key, std::size_t hash) {
            if (const auto at = find(key, hash)) {
                m_slots[*at].offset = erased; // the record stays until the arena is cleared
                --m_count;
                ++m_erased;
            }
        }
        void clear() {
            m_records.clear();
            std::fill(m_slots.begin(), m_slots.end(), Slot{});
            m_count = 0;
            m_erased = 0;
        }

    private:
        struct Slot {
            std::uint32_t tag = 0;
            std::uint32_t offset = 0; // into m_records, plus one; 0: empty
        };
        static constexpr std::uint32_t erased = ~std::uint32_t(0);

        std::string_view keyAt(const Slot& slot) const {
            const char* record = m_records.data() + slot.offset - 1;
            std::uint32_t keySize;
            std::memcpy(&keySize, record, sizeof keySize);
            return {record + 2 * sizeof(std::uint32_t), keySize};
        }
        void place(Slot slot) {
            for (std::size_t i = slot.tag & (m_slots.size() - 1);;
                 i = (i + 1) & (m_slots.size() - 1))
                if (m_slots[i].offset == 0) {
                    m_slots[i] = slot;
                    return;
                }
        }
        void grow() {
            std::vector<Slot> old = std::move(m_slots);
            m_slots.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
            for (const Slot& slot : old)
                if (slot.offset != 0 && slot.offset != erased)
                    place(slot);
            m_erased = 0;
        }

        std::string m_records;
        std::vector<Slot> m_slots; // a power of two, at most half full
        std::size_t m_count = 0;
        std::size_t m_erased = 0;
    };

    std::size_t m_half;
    Arena m_recent;
    Arena m_older;
};

// A BoundedCache that threads share: split by the keys' hash into shards, each behind its own
// mutex, so threads seldom wait for each other.
class SharedCache {
public:
    SharedCache(std::size_t capacity, std::size_t shards) {
        for (std::size_t i = 0; i < shards; ++i)
            m_shards.push_back(std::make_unique<Shard>(capacity / shards));
    }

    // Calls `use(std::string_view value)` under the shard's lock and returns true when `key` is
    // held.
    template <typename Use>
    bool find(std::string_view key, Use&& use) {
        const std::size_t hash = std::hash<std::string_view>()(key);
        Shard& shard = shardOf(hash);
        const std::lock_guard lock(shard.mutex);
        if (const std::optional<std::string_view> value = shard.cache.find(key, hash)) {
            use(*value);
            return true;
        }
        return false;
    }

    void insert(std::string_view key, std::string_view value) {
        const std::size_t hash = std::hash<std::string_view>()(key);
        Shard& shard = shardOf(hash);
        const std::lock_guard lock(shard.mutex);
        shard.cache.insert(key, hash, value);
    }

    std::size_t bytes() const {
        std::size_t total = 0;
        for (const auto& shard : m_shards) {
            const std::lock_guard lock(shard->mutex);
            total += shard->cache.bytes();
        }
        return total;
    }

private:
    struct Shard {
        explicit Shard(std::size_t capacity)
            : cache(capacity) {}
        mutable std::mutex mutex;
        BoundedCache cache;
    };

    // The high bits pick the shard; the arenas index by the low ones.
    Shard& shardOf(std::size_t hash) { return *m_shards[(hash >> 48) % m_shards.size()]; }

    std::vector<std::unique_ptr<Shard>> m_shards;
};

} // namespace litescope
