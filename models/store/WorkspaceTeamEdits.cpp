// The team and key edits: one field of a team or key row, as /team/update and /key/update
// write it.
#include "domain/TranslationContexts.h"
#include "store/WorkspaceEditKinds.h"
#include "store/WorkspaceEditSupport.h"

#include <QJsonArray>

#include <optional>

namespace litescope::edits {

using namespace Qt::StringLiterals;

namespace {

// The team edits differ only in the field they set, how the change reads and how it is undone.
// set(Team&); describe(const QJsonValue& before) -> QString, the part after "team X: ";
// undo(const QJsonValue& before) -> StoreEdit.
template <typename Set, typename Describe, typename Undo>
Result<EditOutcome> editTeam(Workspace& ws, const StoreEdit& edit, QLatin1StringView field,
                             const QJsonValue& value, Set set, Describe describe, Undo undoOf,
                             Writes& writes) {
    const Result<qsizetype> index = findTeam(ws, edit.team);
    if (!index)
        return index.error();
    Team& team = ws.teams[*index];
    const QString object = EditText::tr("team %1").arg(teamName(team));
    const QJsonObject state = teamState(team);
    if (std::optional<Error> error = checkExpected(edit.expected, state, object))
        return *error;
    set(team);
    writes.append(teamWrite(team.id, {{field, value}}));
    StoreEdit undo = undoOf(state.value(field));
    undo.team = team.id;
    undo.expect(field, value);
    return outcome(object + u": "_s + describe(state.value(field)), team.id,
                   {{field, state.value(field)}}, {{field, value}}, {undo});
}

} // namespace

Result<EditOutcome> setTeamList(Workspace& ws, const StoreEdit& edit, QLatin1StringView field,
                                Writes& writes) {
    if (std::optional<Error> error = checkModels(edit.models, field))
        return *error;
    const bool teamModels = field == modelsField;
    // [] in team models lets the team use every proxy model; an empty default scopes nobody.
    const auto text = [teamModels](const QStringList& models) -> QString {
        if (!models.isEmpty())
            return shownList(models);
        return teamModels ? EditText::tr("[] (all proxy models)") : EditText::tr("[] (none)");
    };
    return editTeam(
        ws, edit, field, QJsonArray::fromStringList(edit.models),
        [&](Team& team) {
            (teamModels ? team.models : team.defaultTeamMemberModels) = edit.models;
        },
        [&](const QJsonValue& before) -> QString {
            return QString(field) + u' ' + text(strings(before)) + u" -> "_s + text(edit.models);
        },
        [&](const QJsonValue& before) {
            return teamModels ? StoreEdit::setTeamModels({}, strings(before))
                              : StoreEdit::setDefaultMemberModels({}, strings(before));
        },
        writes);
}

Result<EditOutcome> setTeamAlias(Workspace& ws, const StoreEdit& edit, Writes& writes) {
    const Result<qsizetype> index = findTeam(ws, edit.team);
    if (!index)
        return index.error();
    const QString teamId = ws.teams.at(*index).id;
    for (const Team& other : std::as_const(ws.teams)) {
        if (!edit.alias.isEmpty() && other.alias == edit.alias && other.id != teamId)
            return teamAliasTaken(edit.alias, other.id);
    }
    return editTeam(
        ws, edit, teamAliasField, edit.alias, [&](Team& team) { team.alias = edit.alias; },
        [&](const QJsonValue& before) -> QString {
            return u"team_alias "_s + shownJson(before) + u" -> "_s + shownJson(edit.alias);
        },
        [](const QJsonValue& before) { return StoreEdit::setTeamAlias({}, before.toString()); },
        writes);
}

Result<EditOutcome> setTeamBlocked(Workspace& ws, const StoreEdit& edit, Writes& writes) {
    return editTeam(
        ws, edit, blockedField, edit.blocked, [&](Team& team) { team.blocked = edit.blocked; },
        [&](const QJsonValue& before) -> QString {
            return u"blocked "_s + shownJson(before) + u" -> "_s + shownJson(edit.blocked);
        },
        [](const QJsonValue& before) { return StoreEdit::setTeamBlocked({}, before.toBool()); },
        writes);
}

Result<EditOutcome> setKeyModels(Workspace& ws, const StoreEdit& edit, Writes& writes) {
    if (std::optional<Error> error = checkModels(edit.models, modelsField))
        return *error;
    const Result<qsizetype> index = findKey(ws, edit.key);
    if (!index)
        return index.error();
    Key& key = ws.keys[*index];
    const QString object = EditText::tr("key %1").arg(keyName(key));
    if (std::optional<Error> error = checkExpected(edit.expected, keyState(key), object))
        return *error;
    const QStringList before = key.models;
    key.models = edit.models;
    RowWrite write;
    write.kind = RowWrite::Kind::KeyColumns;
    write.token = key.token;
    write.columns = {{modelsField, QJsonArray::fromStringList(edit.models)}};
    writes.append(write);
    const auto text = [](const QStringList& models) -> QString {
        return models.isEmpty() ? EditText::tr("[] (no key restriction)") : shownList(models);
    };
    StoreEdit undo = StoreEdit::setKeyModels(key.token, before);
    undo.expect(modelsField, QJsonArray::fromStringList(edit.models));
    return outcome(object + u": models "_s + text(before) + u" -> "_s + text(edit.models),
                   key.token, {{modelsField, QJsonArray::fromStringList(before)}},
                   {{modelsField, QJsonArray::fromStringList(edit.models)}}, {undo});
}

} // namespace litescope::edits
