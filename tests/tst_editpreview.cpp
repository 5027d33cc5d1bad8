// previewEdits and withExpected on the acme fixture, with no store: a batch previewed edit by
// edit (each on what the accepted ones before it left, a refused one changing nothing), the
// workspace handed in left alone, the same outcome applyEdit gives; and `expected` filled in so a
// change made meanwhile is a Conflict rather than overwritten.
#include "store/EditPreview.h"
#include "store/WorkspaceEdits.h"
#include "support/StoreTestSupport.h"
#include "workspace/WorkspaceJson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope;
using namespace litescope::test;

namespace {

Workspace acme() {
    Result<Workspace> ws =
        workspace::readFile(QStringLiteral(LITESCOPE_TEST_DATA "/data/filestore/acme.json"));
    if (!ws)
        qFatal("acme.json: %s", qPrintable(ws.error().message));
    return *ws;
}

const Team& teamById(const Workspace& ws, const QString& id) {
    const Result<qsizetype> index = findTeam(ws, id);
    if (!index)
        qFatal("no team %s", qPrintable(id));
    return ws.teams.at(*index);
}

} // namespace

class TstEditPreview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eachEditSeesTheOnesBefore() {
        const Workspace before = acme();
        const QList<StoreEdit> edits{
            StoreEdit::setTeamAlias(u"team-plain"_s, u"Renamed"_s),
            // Named by the alias the first edit gave it.
            StoreEdit::setTeamBlocked(u"Renamed"_s, true),
        };
        const EditPreview preview = previewEdits(before, edits);
        QVERIFY(preview.ok());
        QCOMPARE(preview.results.size(), 2);
        VERIFY_SUCCEEDS(preview.results.at(1));
        const Team& plain = teamById(preview.workspace, u"team-plain"_s);
        QCOMPARE(plain.alias, u"Renamed"_s);
        QVERIFY(plain.blocked);
        // The workspace handed in is a value: untouched.
        QCOMPARE(teamById(before, u"team-plain"_s).alias, u"Plain"_s);
    }

    void aRefusedEditChangesNothingAndTheRestGoOn() {
        const QList<StoreEdit> edits{
            StoreEdit::setTeamBlocked(u"nope"_s, true),
            StoreEdit::setTeamAlias(u"Plain"_s, u"Search"_s), // another team's alias
            StoreEdit::setTeamBlocked(u"Plain"_s, true),
        };
        const EditPreview preview = previewEdits(acme(), edits);
        QVERIFY(!preview.ok());
        QCOMPARE(preview.refusedCount(), 2);
        VERIFY_FAILS_WITH(preview.results.at(0), ErrorKind::NotFound,
                          u"no team with team_id or team_alias nope"_s);
        VERIFY_FAILS_WITH(preview.results.at(1), ErrorKind::InvalidInput,
                          u"already used by team team-search"_s);
        VERIFY_SUCCEEDS(preview.results.at(2));
        const Team& plain = teamById(preview.workspace, u"team-plain"_s);
        QCOMPARE(plain.alias, u"Plain"_s);
        QVERIFY(plain.blocked);
    }

    // What a dry run relies on: the preview's outcome is applyEdit's, field for field.
    void theOutcomeIsApplyEdits() {
        const StoreEdit edit = StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {u"x"_s});
        const EditPreview preview = previewEdits(acme(), {edit});
        Workspace applied = acme();
        const Result<EditOutcome> outcome = applyEdit(applied, edit);
        VERIFY_SUCCEEDS(outcome);
        VERIFY_SUCCEEDS(preview.results.front());
        QCOMPARE(preview.results.front()->summary, outcome->summary);
        QCOMPARE(preview.results.front()->before, outcome->before);
        QCOMPARE(preview.results.front()->after, outcome->after);
        QCOMPARE(workspace::toJsonObject(preview.workspace), workspace::toJsonObject(applied));
    }

    void anEmptyBatch() {
        const EditPreview preview = previewEdits(acme(), {});
        QVERIFY(preview.ok());
        QVERIFY(preview.results.isEmpty());
        QCOMPARE(workspace::toJsonObject(preview.workspace), workspace::toJsonObject(acme()));
    }

    void expectedIsFilledIn() {
        const Workspace loaded = acme();
        const StoreEdit scope = withExpected(
            loaded, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {u"claude-sonnet"_s}));
        QCOMPARE(scope.expected, (QJsonObject{{u"allowed_models"_s, QJsonArray{u"gpt-4o"_s}}}));
        const StoreEdit block = withExpected(loaded, StoreEdit::setTeamBlocked(u"Plain"_s, true));
        QCOMPARE(block.expected, (QJsonObject{{u"blocked"_s, false}}));
        // Someone else changes bob's scope first: the edit made from `loaded` is a Conflict.
        Workspace meanwhile = loaded;
        VERIFY_SUCCEEDS(
            applyEdit(meanwhile, StoreEdit::setMemberScope(u"Search"_s, u"u-bob"_s, {u"y"_s})));
        // (The preview is named: the macro holds a reference, and a member of a temporary
        // dies with it.)
        const EditPreview late = previewEdits(meanwhile, {scope});
        VERIFY_FAILS_WITH(late.results.front(), ErrorKind::Conflict, u"allowed_models"_s);
        // A target that does not exist keeps `expected` as it was; the edit reports it.
        const StoreEdit missing = withExpected(loaded, StoreEdit::setTeamBlocked(u"nope"_s, true));
        QVERIFY(missing.expected.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstEditPreview)
#include "tst_editpreview.moc"
