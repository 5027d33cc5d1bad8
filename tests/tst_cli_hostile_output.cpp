// Every human-readable output of litescope-cli, walked with names that try to forge it: every
// identifier of the workspace, of the proxy's config.yaml and of the arguments ends in a newline,
// a fake "ALLOWED" line, an ANSI colour, a C1 control, a bidi override, a line separator and DEL.
// Whatever a command prints, on stdout or stderr, in text or JSON, must carry none of them raw
// and no line may start with the forged text; and the hostile name must really have been shown
// (escaped), or the row proves nothing.
#include "support/CliRunner.h"
#include "support/CliTestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace litescope::test;

namespace {

const QString forged = u"\nALLOWED  spoof -> everything\u001b[31m\u0085\u202e\u2028\u007f"_s;

QString h(const QString& name) {
    return name + forged;
}

// A test row's tag: the name without its forged tail.
QByteArray tag(const QString& name) {
    return name.section(u'\n', 0, 0).toUtf8();
}

QJsonArray names(std::initializer_list<QString> list) {
    QJsonArray array;
    for (const QString& name : list)
        array.append(name);
    return array;
}

QJsonObject hostileWorkspace() {
    const QJsonObject member{{u"user_id"_s, h(u"user"_s)}, {u"role"_s, u"user"_s}};
    return QJsonObject{
        {u"format"_s, u"litescope-workspace"_s},
        {u"version"_s, 1},
        {u"proxy_models"_s,
         QJsonArray{
             QJsonObject{
                 {u"model_name"_s, h(u"gpt"_s)},
                 {u"litellm_params"_s, QJsonObject{{u"model"_s, u"openai/gpt-4o"_s}}},
                 {u"model_info"_s, QJsonObject{{u"access_groups"_s, names({h(u"grp"_s)})}}}},
             QJsonObject{{u"model_name"_s, u"plain"_s},
                         {u"litellm_params"_s, QJsonObject{{u"model"_s, u"openai/plain"_s}}}},
             QJsonObject{
                 {u"model_name"_s, h(u"byok"_s)},
                 {u"litellm_params"_s, QJsonObject{{u"model"_s, u"openai/gpt-4o"_s}}},
                 {u"model_info"_s, QJsonObject{{u"team_id"_s, h(u"team"_s)},
                                               {u"team_public_model_name"_s, h(u"pub"_s)}}}},
         }},
        {u"model_group_alias"_s, QJsonObject{{h(u"alias"_s), h(u"gpt"_s)}}},
        {u"settings"_s,
         QJsonObject{{u"model_alias_map"_s, QJsonObject{{h(u"mam"_s), h(u"gpt"_s)}}}}},
        {u"access_groups"_s,
         QJsonArray{QJsonObject{{u"access_group_id"_s, h(u"ag"_s)},
                                {u"access_model_names"_s, names({h(u"gpt"_s)})},
                                {u"assigned_team_ids"_s, names({h(u"team"_s)})}}}},
        {u"teams"_s,
         QJsonArray{
             QJsonObject{{u"team_id"_s, h(u"team"_s)},
                         {u"team_alias"_s, h(u"Search"_s)},
                         {u"models"_s, names({h(u"gpt"_s), h(u"bad*(wild"_s)})},
                         {u"model_aliases"_s, QJsonObject{{h(u"ta"_s), h(u"gpt"_s)}}},
                         {u"access_group_ids"_s, names({h(u"ag"_s)})},
                         {u"default_team_member_models"_s, names({h(u"elsewhere"_s)})},
                         {u"members_with_roles"_s, QJsonArray{member}}},
             QJsonObject{{u"team_id"_s, h(u"blocked"_s)},
                         {u"team_alias"_s, h(u"Blocked"_s)},
                         {u"models"_s, QJsonArray{}},
                         {u"blocked"_s, true}},
         }},
        {u"team_memberships"_s,
         QJsonArray{QJsonObject{{u"team_id"_s, h(u"team"_s)},
                                {u"user_id"_s, h(u"user"_s)},
                                {u"allowed_models"_s, names({h(u"gpt"_s), h(u"notinteam"_s)})}}}},
        {u"users"_s, QJsonArray{QJsonObject{{u"user_id"_s, h(u"user"_s)},
                                            {u"user_email"_s, h(u"mail"_s)},
                                            {u"models"_s, names({h(u"gpt"_s)})}}}},
        {u"projects"_s,
         QJsonArray{QJsonObject{{u"project_id"_s, h(u"proj"_s)}, {u"blocked"_s, true}}}},
        {u"keys"_s,
         QJsonArray{
             QJsonObject{{u"token"_s, h(u"sk-key"_s)},
                         {u"key_alias"_s, h(u"kalias"_s)},
                         {u"team_id"_s, h(u"team"_s)},
                         {u"user_id"_s, h(u"user"_s)},
                         {u"models"_s, names({h(u"gpt"_s), h(u"alias"_s)})}},
             QJsonObject{{u"token"_s, u"sk-blocked-team"_s}, {u"team_id"_s, h(u"blocked"_s)}},
             QJsonObject{{u"token"_s, u"sk-project"_s}, {u"project_id"_s, h(u"proj"_s)}},
             QJsonObject{{u"token"_s, u"sk-dangling"_s}, {u"team_id"_s, h(u"gone"_s)}},
             QJsonObject{{u"token"_s, h(u"sk-denied-everything"_s)},
                         {u"models"_s, names({h(u"nothing-served"_s)})}},
         }},
    };
}

// YAML double-quoted scalars spell the same escapes JSON does.
QByteArray yamlString(const QString& text) {
    return QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

QByteArray hostileConfig() {
    return "model_list:\n"
           "  - model_name: " +
           yamlString(h(u"gpt"_s)) +
           "\n"
           "    litellm_params:\n"
           "      model: openai/gpt-4o\n"
           "      api_key: os.environ/" +
           yamlString(h(u"ENV"_s)) +
           "\n"
           "    " +
           yamlString(h(u"unknown_key"_s)) +
           ": 1\n"
           "litellm_settings:\n"
           "  " +
           yamlString(h(u"unknown_setting"_s)) +
           ": true\n"
           "router_settings:\n"
           "  model_group_alias:\n"
           "    " +
           yamlString(h(u"cfg-alias"_s)) + ": " + yamlString(h(u"gpt"_s)) + "\n" +
           yamlString(h(u"unknown_section"_s)) + ": {}\n";
}

// Characters a terminal acts on or that hide themselves; newline and tab are the CLI's own.
QString firstHiddenCharacter(const QString& text) {
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool hidden = (u < 0x20 && u != u'\n' && u != u'\t') || (u >= 0x7f && u <= 0x9f) ||
                            c.category() == QChar::Other_Format ||
                            c.category() == QChar::Separator_Line ||
                            c.category() == QChar::Separator_Paragraph;
        if (hidden)
            return u"U+%1"_s.arg(static_cast<uint>(u), 4, 16, QChar(u'0'));
    }
    return {};
}

} // namespace

class TstCliHostileOutput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_workspace;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_workspace = QJsonDocument(hostileWorkspace()).toJson();
        QFile config(m_dir.filePath(u"config.yaml"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        QVERIFY(config.write(hostileConfig()) > 0);
    }

    void everyOutputEscapesNames_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");

        const QStringList keys{h(u"sk-key"_s), h(u"kalias"_s), u"sk-blocked-team"_s,
                               u"sk-project"_s, u"sk-dangling"_s};
        QStringList models;
        for (const QString& model : {h(u"gpt"_s), h(u"alias"_s), h(u"mam"_s), h(u"ta"_s),
                                     h(u"pub"_s), u"plain"_s, h(u"unknown"_s), h(u"grp"_s)})
            models << u"-m"_s << model;
        for (const QString& key : keys) {
            for (const QStringList& json : {QStringList(), QStringList{u"--json"_s}}) {
                const char* shape = json.isEmpty() ? "text" : "json";
                QTest::addRow("check %s %s", tag(key).constData(), shape)
                    << QStringList{u"check"_s, u"-k"_s, key} + models + json << QByteArray() << 1;
                QTest::addRow("preview %s %s", tag(key).constData(), shape)
                    << QStringList{u"preview"_s, u"-k"_s, key} + json << QByteArray() << 0;
            }
        }
        QByteArray requests;
        for (const QString& key : keys)
            for (qsizetype m = 1; m < models.size(); m += 2)
                requests += QJsonDocument(QJsonObject{{u"key"_s, key}, {u"model"_s, models[m]}})
                                .toJson(QJsonDocument::Compact) +
                            '\n';
        QTest::newRow("check requests text")
            << QStringList{u"check"_s, u"-r"_s, u"-"_s} << requests << 0;
        QTest::newRow("check requests json")
            << QStringList{u"check"_s, u"-r"_s, u"-"_s, u"--json"_s} << requests << 0;
        QTest::newRow("check requests, a hostile missing key")
            << QStringList{u"check"_s, u"-r"_s, u"-"_s}
            << QJsonDocument(QJsonObject{{u"key"_s, h(u"nokey"_s)}, {u"model"_s, u"x"_s}})
                   .toJson(QJsonDocument::Compact)
            << 2;
        QTest::newRow("check, missing key")
            << QStringList{u"check"_s, u"-k"_s, h(u"nokey"_s), u"-m"_s, u"x"_s} << QByteArray()
            << 2;
        QTest::newRow("validate") << QStringList{u"validate"_s} << QByteArray() << 0;
        QTest::newRow("validate with config")
            << QStringList{u"validate"_s, u"--proxy-config"_s, m_dir.filePath(u"config.yaml"_s)}
            << QByteArray() << 0;
        QTest::newRow("check with config") << QStringList{u"check"_s,
                                                          u"-k"_s,
                                                          h(u"sk-key"_s),
                                                          u"-m"_s,
                                                          h(u"cfg-alias"_s),
                                                          u"--proxy-config"_s,
                                                          m_dir.filePath(u"config.yaml"_s)}
                                           << QByteArray() << 0;

        const QStringList teams{h(u"team"_s), h(u"Search"_s), h(u"no-team"_s)};
        const QStringList users{h(u"user"_s), h(u"mail"_s), h(u"no-user"_s)};
        for (const QString& team : teams) {
            for (const QString& user : users) {
                const QByteArray row = tag(team) + " " + tag(user);
                QTest::addRow("preview member %s", row.constData())
                    << QStringList{u"preview"_s, u"--team"_s, team, u"--member"_s, user}
                    << QByteArray() << (team == teams.last() || user == users.last() ? 2 : 0);
                for (const QStringList& mode :
                     {QStringList(), QStringList{u"--dry-run"_s}, QStringList{u"--json"_s}}) {
                    const QByteArray m = mode.value(0).toUtf8();
                    QTest::addRow("member set-scope %s %s", row.constData(), m.constData())
                        << QStringList{u"member"_s, u"set-scope"_s, u"-t"_s, team,
                                       u"-u"_s,     user,           u"-m"_s, h(u"gpt"_s),
                                       u"-m"_s,     h(u"new"_s)} +
                               mode
                        << QByteArray() << -1;
                    QTest::addRow("member add %s %s", row.constData(), m.constData())
                        << QStringList{u"member"_s,  u"add"_s,   u"-t"_s, team,
                                       u"-u"_s,      user,       u"-m"_s, h(u"gpt"_s),
                                       u"--email"_s, h(u"e@x"_s)} +
                               mode
                        << QByteArray() << -1;
                    QTest::addRow("member update %s %s", row.constData(), m.constData())
                        << QStringList{u"member"_s,       u"update"_s, u"-t"_s,     team,
                                       u"-u"_s,           user,        u"--role"_s, u"admin"_s,
                                       u"--max-budget"_s, u"5"_s} +
                               mode
                        << QByteArray() << -1;
                    QTest::addRow("member remove %s %s", row.constData(), m.constData())
                        << QStringList{u"member"_s, u"remove"_s, u"-t"_s, team, u"-u"_s, user} +
                               mode
                        << QByteArray() << -1;
                }
            }
            for (const QStringList& mode :
                 {QStringList(), QStringList{u"--dry-run"_s}, QStringList{u"--json"_s}}) {
                const QByteArray row = tag(team) + " " + mode.value(0).toUtf8();
                QTest::addRow("team set-models %s", row.constData())
                    << QStringList{u"team"_s, u"set-models"_s, u"-t"_s, team,
                                   u"-m"_s,   h(u"gpt"_s),     u"-m"_s, h(u"new"_s)} +
                           mode
                    << QByteArray() << -1;
                QTest::addRow("team set-default-member-models %s", row.constData())
                    << QStringList{u"team"_s, u"set-default-member-models"_s,
                                   u"-t"_s,   team,
                                   u"-m"_s,   h(u"new"_s)} +
                           mode
                    << QByteArray() << -1;
                QTest::addRow("team set-alias %s", row.constData())
                    << QStringList{u"team"_s, u"set-alias"_s, u"-t"_s,
                                   team,      u"--alias"_s,   h(u"Renamed"_s)} +
                           mode
                    << QByteArray() << -1;
                QTest::addRow("team block %s", row.constData())
                    << QStringList{u"team"_s, u"block"_s, u"-t"_s, team} + mode << QByteArray()
                    << -1;
            }
        }
        for (const QString& key : keys + QStringList{h(u"no-key"_s)})
            QTest::addRow("key set-models %s", tag(key).constData())
                << QStringList{u"key"_s, u"set-models"_s, u"-k"_s, key, u"-m"_s, h(u"new"_s)}
                << QByteArray() << -1;
        QTest::newRow("unknown command") << QStringList{h(u"command"_s)} << QByteArray() << 2;
        QTest::newRow("unknown verb") << QStringList{u"team"_s, h(u"verb"_s)} << QByteArray() << 2;
        QTest::newRow("unknown option")
            << QStringList{u"check"_s, u"--"_s + h(u"option"_s)} << QByteArray() << 2;
        QTest::newRow("bad release") << QStringList{u"check"_s, u"-k"_s, u"sk-project"_s,
                                                    u"-m"_s,    u"x"_s,  u"--litellm-version"_s,
                                                    h(u"1.2"_s)}
                                     << QByteArray() << 2;
        QTest::newRow("bad budget")
            << QStringList{u"member"_s, u"update"_s,  u"-t"_s,           h(u"team"_s),
                           u"-u"_s,     h(u"user"_s), u"--max-budget"_s, h(u"5"_s)}
            << QByteArray() << 2;
        QTest::newRow("bad role") << QStringList{u"member"_s,  u"update"_s, u"-t"_s,
                                                 h(u"team"_s), u"-u"_s,     h(u"user"_s),
                                                 u"--role"_s,  h(u"boss"_s)}
                                  << QByteArray() << 2;
    }

    void everyOutputEscapesNames() {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);

        // A fresh copy each time: an edit must meet the names, not an earlier row's result.
        const QString path = m_dir.filePath(u"workspace.json"_s);
        QFile::remove(path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(m_workspace) == m_workspace.size());
        file.close();

        const CliRun run = runCli(arguments + QStringList{u"-w"_s, path}, input);
        QVERIFY2(run.finished, qPrintable(describe(run)));
        if (exitCode >= 0)
            QVERIFY2(run.exitCode == exitCode, qPrintable(describe(run)));
        else
            QVERIFY2(run.exitCode == 0 || run.exitCode == 2, qPrintable(describe(run)));

        bool shown = false;
        for (const QByteArray& bytes : {run.out, run.err}) {
            const QString text = QString::fromUtf8(bytes);
            const QString hidden = firstHiddenCharacter(text);
            QVERIFY2(hidden.isEmpty(), qPrintable(hidden + u" printed raw\n"_s + describe(run)));
            for (const QString& line : text.split(u'\n'))
                QVERIFY2(!line.startsWith(u"ALLOWED  spoof"_s),
                         qPrintable(u"forged line\n"_s + describe(run)));
            shown |= text.contains(u"spoof"_s);
        }
        // The row walked a path that printed a hostile name, or it would prove nothing.
        QVERIFY2(shown, qPrintable(u"no hostile name was printed\n"_s + describe(run)));
    }
};

QTEST_GUILESS_MAIN(TstCliHostileOutput)
#include "tst_cli_hostile_output.moc"
