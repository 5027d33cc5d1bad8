#include "store/api/ApiEntityTexts.h"

#include <QJsonDocument>

namespace litescope::api {

void EntityTexts::append(const QJsonObject& entity, const QString& id, const QString& reference) {
    m_text.append(QJsonDocument(entity).toJson(QJsonDocument::Compact));
    m_ends.push_back(m_text.size());
    m_ids.append(id);
    m_references.append(reference);
}

void EntityTexts::append(EntityTexts&& more) {
    const qsizetype offset = m_text.size();
    m_text.append(more.m_text);
    for (const qsizetype end : more.m_ends)
        m_ends.push_back(offset + end);
    m_ids.append(std::move(more.m_ids));
    m_references.append(std::move(more.m_references));
    anyAccessGroupIds = anyAccessGroupIds || more.anyAccessGroupIds;
    anyProjectId = anyProjectId || more.anyProjectId;
    more = EntityTexts();
}

QByteArrayView EntityTexts::text(qsizetype i) const {
    const qsizetype begin = i == 0 ? 0 : m_ends[std::size_t(i - 1)];
    return QByteArrayView(m_text).sliced(begin, m_ends[std::size_t(i)] - begin);
}

} // namespace litescope::api
