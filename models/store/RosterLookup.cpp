#include "store/RosterLookup.h"

namespace litescope::edits {

RosterLookup::RosterLookup(const Workspace& ws, const QString& teamId) {
    for (const User& user : ws.users) {
        // The first row wins, as a search from the front finds it.
        if (!m_byId.contains(user.id))
            m_byId.insert(user.id, &user);
        if (user.email)
            m_byEmail[caseKey(*user.email)].append(&user);
    }
    for (const TeamMembership& row : ws.teamMemberships)
        if (row.teamId == teamId && !m_memberships.contains(row.userId))
            m_memberships.insert(row.userId, &row);
}

const User* RosterLookup::userById(const QString& id) const {
    return m_byId.value(id, nullptr);
}

QList<const User*> RosterLookup::usersByEmail(const QString& email) const {
    QList<const User*> found;
    // The key only narrows; the comparison itself decides.
    for (const User* user : m_byEmail.value(caseKey(email)))
        if (user->email->compare(email, Qt::CaseInsensitive) == 0)
            found.append(user);
    return found;
}

const TeamMembership* RosterLookup::membership(const std::optional<QString>& userId) const {
    return userId ? m_memberships.value(*userId, nullptr) : nullptr;
}

QString RosterLookup::caseKey(const QString& text) {
    // Qt folds each unit on its own, a low surrogate as part of the code point it ends; the
    // high surrogate before it is compared as it is.
    QString key(text.size(), Qt::Uninitialized);
    char16_t previous = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text[i].unicode();
        char32_t codePoint = unit;
        if (QChar::isLowSurrogate(unit) && QChar::isHighSurrogate(previous))
            codePoint = QChar::surrogateToUcs4(previous, unit);
        previous = unit;
        const char32_t folded = QChar::toCaseFolded(codePoint);
        key[i] = QChar::requiresSurrogates(folded) ? QChar(QChar::lowSurrogate(folded))
                                                   : QChar(static_cast<char16_t>(folded));
    }
    return key;
}

} // namespace litescope::edits
