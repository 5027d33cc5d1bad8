#include "domain/StringPool.h"

#include <QHashFunctions>
#include <QStringDecoder>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace litescope {

namespace {

// Any seed but 0: with 0 Qt hashes with SipHash, with another through the CPU's AES unit where
// there is one, several times faster on a 40-byte id.
constexpr std::size_t Seed = 0x9E3779B97F4A7C15ULL;

QString decoded(std::string_view utf8) {
    // QString::fromUtf8 drops a leading byte-order mark; a name may start with one.
    if (utf8.size() >= 3 && std::memcmp(utf8.data(), "\xEF\xBB\xBF", 3) == 0)
        return QStringDecoder(QStringDecoder::Utf8, QStringConverter::Flag::ConvertInitialBom)
            .decode(QByteArrayView(utf8.data(), qsizetype(utf8.size())));
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

// Whether `text` is what `utf8` decodes to. Names are mostly ASCII: compared eight characters at
// a time, widened; anything else through Qt's UTF-8 comparison.
bool sameText(const QString& text, std::string_view utf8) {
    const auto size = std::size_t(text.size());
    const char16_t* units = reinterpret_cast<const char16_t*>(text.constData());
    const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
    if (size == utf8.size()) {
        std::size_t i = 0;
        unsigned high = 0;
#if defined(__SSE2__)
        const __m128i zero = _mm_setzero_si128();
        for (; i + 8 <= size; i += 8) {
            const __m128i narrow = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes + i));
            const __m128i wide = _mm_loadu_si128(reinterpret_cast<const __m128i*>(units + i));
            const __m128i equal = _mm_cmpeq_epi16(_mm_unpacklo_epi8(narrow, zero), wide);
            if (_mm_movemask_epi8(equal) != 0xFFFF)
                return false;
            high |= unsigned(_mm_movemask_epi8(narrow));
        }
#endif
        for (; i < size; ++i) {
            if (units[i] != bytes[i])
                return false;
            high |= bytes[i] & 0x80U;
        }
        // Equal as Latin-1 and all ASCII: equal. (Bytes from 0x80 up are not Latin-1 in UTF-8.)
        if (high == 0)
            return true;
    } else if (size > utf8.size()) {
        return false; // UTF-8 never needs fewer bytes than UTF-16 units
    }
    return QtPrivate::equalStrings(
        QStringView(text), QBasicUtf8StringView<false>(utf8.data(), qsizetype(utf8.size())));
}

} // namespace

void StringPool::grow() {
    std::vector<Slot> slots(m_slots.empty() ? 1024 : m_slots.size() * 2);
    const std::size_t mask = slots.size() - 1;
    for (Slot& old : m_slots) {
        if (old.text.isNull())
            continue;
        std::size_t slot = old.hash & mask;
        while (!slots[slot].text.isNull())
            slot = (slot + 1) & mask;
        slots[slot].text = std::move(old.text);
        slots[slot].hash = old.hash;
    }
    m_slots = std::move(slots);
}

std::uint64_t StringPool::hashOf(std::string_view utf8) {
    return qHashBits(utf8.data(), utf8.size(), Seed);
}

QString StringPool::intern(std::string_view utf8) {
    return lookup(utf8, hashOf(utf8), nullptr);
}

QString StringPool::intern(std::string_view utf8, std::uint64_t hash) {
    return lookup(utf8, hash, nullptr);
}

QString StringPool::intern(const QString& text) {
    if (text.isEmpty())
        return text;
    const QByteArray utf8 = text.toUtf8();
    const std::string_view view(utf8.constData(), std::size_t(utf8.size()));
    return lookup(view, hashOf(view), &text);
}

void StringPool::prefetchSlot(std::uint64_t hash) const {
    if (!m_slots.empty())
        __builtin_prefetch(&m_slots[hash & (m_slots.size() - 1)]);
}

void StringPool::prefetchText(std::uint64_t hash) const {
    if (m_slots.empty())
        return;
    const Slot& slot = m_slots[hash & (m_slots.size() - 1)];
    if (slot.hash != hash || slot.text.isNull())
        return;
    // The reference count sits just before the characters; an id of 40 takes a second line.
    const QChar* text = slot.text.constData();
    __builtin_prefetch(text);
    if (slot.text.size() > 24)
        __builtin_prefetch(text + 32);
}

// The pooled text for `utf8`; a new entry holds `given` when there is one, else the decoded text.
QString StringPool::lookup(std::string_view utf8, std::uint64_t hash, const QString* given) {
    if (utf8.empty())
        return QString();
    if (std::size_t(m_size + 1) * 10 > m_slots.size() * 7)
        grow();
    const std::size_t mask = m_slots.size() - 1;
    std::size_t slot = hash & mask;
    for (; !m_slots[slot].text.isNull(); slot = (slot + 1) & mask) {
        const Slot& entry = m_slots[slot];
        if (entry.hash == hash && sameText(entry.text, utf8))
            return entry.text;
    }
    m_slots[slot].text = given ? *given : decoded(utf8);
    m_slots[slot].hash = hash;
    ++m_size;
    return m_slots[slot].text;
}

} // namespace litescope
