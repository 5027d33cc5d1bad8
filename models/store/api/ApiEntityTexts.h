#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace litescope::api {

// The workspace entities of a big listing (a proxy's 200,000 keys, 90,000 users), each kept as
// its compact JSON text with its id, as the pages arrive. As QJsonObjects the answers of a big
// proxy held over a gigabyte until the snapshot was assembled; as text they are a fraction of
// that, and the workspace reader turns them into values in one pass (assembleSnapshot).
class EntityTexts {
public:
    // `reference`: a second id the assembly needs per entity (a key's team_id), may be empty.
    void append(const QJsonObject& entity, const QString& id, const QString& reference = {});
    void append(EntityTexts&& more);

    qsizetype size() const { return m_ids.size(); }
    bool isEmpty() const { return m_ids.isEmpty(); }
    const QString& id(qsizetype i) const { return m_ids.at(i); }
    const QString& reference(qsizetype i) const { return m_references.at(i); }
    QByteArrayView text(qsizetype i) const;
    qsizetype textSize() const { return m_text.size(); }

    // Whether some entity has a non-empty value for a field the converter was asked to watch
    // (a key's access_group_ids or project_id).
    bool anyAccessGroupIds = false;
    bool anyProjectId = false;

private:
    QByteArray m_text;
    std::vector<qsizetype> m_ends; // where each entity's text ends in m_text
    QStringList m_ids;
    QStringList m_references;
};

} // namespace litescope::api
