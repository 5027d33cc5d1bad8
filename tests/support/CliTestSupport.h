#pragma once

// Shared by the litescope-cli end-to-end suites (tst_cli_check, tst_cli_preview, tst_cli_general).
// Every test runs the real binary from the build tree (support/CliRunner.h) and checks its exit
// code, stdout and stderr. Exit codes: 0 ok, 1 denied (check) / workspace errors (validate), 2 bad
// input, with a message on stderr and nothing on stdout. Decision lines follow
// docs/workspace-format.md. Fixtures: the demo workspace and small files under data/cli/.
#include "support/CliRunner.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTest>

namespace litescope::test {

using namespace Qt::StringLiterals;

inline QString demoPath() {
    return QStringLiteral(LITESCOPE_TEST_DATA "/../resources/demo/demo-workspace.json");
}

inline QString dataPath(const QString& name) {
    return QStringLiteral(LITESCOPE_TEST_DATA "/data/cli/") + name;
}

inline QByteArray readBytes(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

inline QJsonObject readJsonObject(const QString& path) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(readBytes(path), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("%s: %s", qPrintable(path), qPrintable(error.errorString()));
    return document.object();
}

// What the CLI printed, for failure messages.
inline QString describe(const CliRun& run) {
    return u"finished %1, exit %2\n--- stdout:\n%3\n--- stderr:\n%4"_s.arg(run.finished)
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.out.left(3000)), QString::fromUtf8(run.err.left(3000)));
}

// Lines of a text output; the output must end with a newline.
inline QStringList textLines(const QByteArray& output) {
    if (output.isEmpty())
        return {};
    QString text = QString::fromUtf8(output);
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text.split(u'\n');
}

// One JSON object per line, nothing else.
inline bool parseJsonLines(const QByteArray& output, QList<QJsonObject>& objects, QString& error) {
    objects.clear();
    if (output.isEmpty())
        return true;
    if (!output.endsWith('\n')) {
        error = u"output does not end with a newline"_s;
        return false;
    }
    const QList<QByteArray> lines = output.chopped(1).split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(lines[i], &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            error = u"output line %1 is not a JSON object: %2"_s.arg(i + 1).arg(
                QString::fromUtf8(lines[i]));
            return false;
        }
        objects.append(document.object());
    }
    return true;
}

// The models the proxy serves to a key of `teamId` (empty: no team), per docs/workspace-format.md:
// public deployments (no model_info.team_id) without wildcards, the team's own deployments under
// their public name, and router aliases that are not hidden.
inline QSet<QString> servedModels(const QJsonObject& workspace, const QString& teamId) {
    QSet<QString> names;
    const QJsonArray models = workspace[u"proxy_models"_s].toArray();
    for (const QJsonValue& entry : models) {
        const QJsonObject model = entry.toObject();
        const QJsonObject info = model[u"model_info"_s].toObject();
        const QJsonValue owner = info[u"team_id"_s];
        QString name = model[u"model_name"_s].toString();
        if (owner.isString()) {
            if (teamId.isEmpty() || owner.toString() != teamId)
                continue;
            if (info[u"team_public_model_name"_s].isString())
                name = info[u"team_public_model_name"_s].toString();
        }
        if (!name.contains(u'*'))
            names.insert(name);
    }
    const QJsonObject aliases = workspace[u"model_group_alias"_s].toObject();
    for (auto it = aliases.constBegin(); it != aliases.constEnd(); ++it)
        if (!it.value().toObject()[u"hidden"_s].toBool())
            names.insert(it.key());
    return names;
}

// How a request names a key in these tests: its alias, or its token for every other key (both
// must work).
inline QString keyName(const QJsonObject& key, qsizetype index) {
    const QString alias = key[u"key_alias"_s].toString();
    return alias.isEmpty() || index % 2 == 1 ? key[u"token"_s].toString() : alias;
}

// The token of the workspace's key number `index`.
inline QString demoToken(const QJsonObject& demo, qsizetype index) {
    return demo.value(u"keys"_s).toArray().at(index).toObject().value(u"token"_s).toString();
}

inline const QSet<QString> layers{u"key"_s, u"team"_s, u"team_member"_s, u"user"_s, u"project"_s};
inline const QSet<QString> verdicts{u"allowed"_s, u"denied"_s, u"skipped"_s, u"unknown"_s};

// Checks the shape of one decision line of docs/workspace-format.md.
inline void verifyDecisionShape(const QJsonObject& decision) {
    const QStringList fields = decision.keys();
    for (const QString& field :
         {u"key"_s, u"model"_s, u"allowed"_s, u"denied_by"_s, u"reason"_s, u"trail"_s})
        QVERIFY2(fields.contains(field), qPrintable(u"decision has no "_s + field));
    QVERIFY(decision[u"key"_s].isString());
    QVERIFY(decision[u"model"_s].isString() || decision[u"model"_s].isArray());
    QVERIFY(decision[u"allowed"_s].isBool());
    QVERIFY(!decision[u"reason"_s].toString().isEmpty());
    const QJsonArray trail = decision[u"trail"_s].toArray();
    QVERIFY(!trail.isEmpty());
    // A later check of a layer may grant what an earlier one refused (access groups, the
    // key's groups for the team): what counts is each layer's last step.
    QString lastDeniedLayer;
    QHash<QString, QString> lastVerdictOfLayer;
    for (const QJsonValue& value : trail) {
        const QJsonObject step = value.toObject();
        for (const QString& field :
             {u"layer"_s, u"check"_s, u"verdict"_s, u"rule"_s, u"detail"_s}) {
            QVERIFY2(step[field].isString() && !step[field].toString().isEmpty(),
                     qPrintable(u"trail step without "_s + field));
        }
        QVERIFY2(layers.contains(step[u"layer"_s].toString()),
                 qPrintable(step[u"layer"_s].toString()));
        QVERIFY2(verdicts.contains(step[u"verdict"_s].toString()),
                 qPrintable(step[u"verdict"_s].toString()));
        if (step[u"verdict"_s].toString() == u"denied"_s)
            lastDeniedLayer = step[u"layer"_s].toString();
        lastVerdictOfLayer.insert(step[u"layer"_s].toString(), step[u"verdict"_s].toString());
    }
    if (decision[u"allowed"_s].toBool()) {
        QVERIFY(decision[u"denied_by"_s].isNull());
        for (auto it = lastVerdictOfLayer.cbegin(); it != lastVerdictOfLayer.cend(); ++it)
            QVERIFY2(it.value() != u"denied"_s, qPrintable(it.key()));
        QVERIFY(decision[u"reason"_s].toString().startsWith(u"Allowed"_s));
    } else {
        QVERIFY(decision[u"denied_by"_s].isString());
        QVERIFY(layers.contains(decision[u"denied_by"_s].toString()));
        QCOMPARE(lastDeniedLayer, decision[u"denied_by"_s].toString());
        QCOMPARE(lastVerdictOfLayer.value(lastDeniedLayer), u"denied"_s);
        QVERIFY(decision[u"reason"_s].toString().startsWith(u"Denied"_s));
    }
}

} // namespace litescope::test

// Fails the test with what the CLI printed when it did not exit with `code`.
#define EXPECT_EXIT(run, code)                                                                     \
    QVERIFY2((run).finished && (run).exitCode == (code),                                           \
             qPrintable(QStringLiteral("expected exit %1; ").arg(code) +                           \
                        litescope::test::describe(run)))

// Parses `bytes` as JSON Lines into `list` or fails the test.
#define PARSE_JSON_LINES(bytes, list)                                                              \
    do {                                                                                           \
        QString parseError_;                                                                       \
        QVERIFY2(litescope::test::parseJsonLines((bytes), (list), parseError_),                    \
                 qPrintable(parseError_));                                                         \
    } while (false)

// Runs verifyDecisionShape() and stops the test when it failed.
#define VERIFY_DECISION(decision)                                                                  \
    do {                                                                                           \
        litescope::test::verifyDecisionShape(decision);                                            \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)
