#pragma once

// Shared by the litescope-cli --dry-run suites (tst_cli_dryrun_file, _db, _api): the same edit run
// with --dry-run and then for real against one source, compared. A dry run must leave the source
// as it was and report exactly what the real edit then reports; a refused edit must be refused
// with the same exit code and message either way.
#include "support/CliRunner.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace litescope::test {

using namespace Qt::StringLiterals;

// One source as the suites see it: the CLI run against it (its source options added), and
// everything a write could change there, as text to compare (file bytes, table rows, the write
// requests a proxy received).
struct DryRunSource {
    std::function<CliRun(const QStringList&)> run;
    std::function<QString()> state;
};

inline QString shown(const CliRun& run) {
    return u"exit %1, stdout: %2, stderr: %3"_s.arg(run.exitCode)
        .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
}

inline QJsonObject jsonReport(const QByteArray& out) {
    return QJsonDocument::fromJson(out).object();
}

// Empty when `args` run with --dry-run (as text, then as JSON) succeed, write nothing, and report
// what the same edit then reports for real (as JSON); otherwise what went wrong. Leaves the real
// edit applied.
inline QString dryRunMatchesApply(const DryRunSource& source, const QStringList& args) {
    const QString before = source.state();
    const CliRun text = source.run(args + QStringList{u"--dry-run"_s});
    if (text.exitCode != 0 || !text.err.isEmpty())
        return u"dry run failed: "_s + shown(text);
    const CliRun json = source.run(args + QStringList{u"--dry-run"_s, u"--json"_s});
    if (json.exitCode != 0 || !json.err.isEmpty())
        return u"dry run (--json) failed: "_s + shown(json);
    if (const QString after = source.state(); after != before)
        return u"the dry run wrote something:\n--- before\n"_s + before + u"\n--- after\n"_s +
               after;

    const CliRun real = source.run(args + QStringList{u"--json"_s});
    if (real.exitCode != 0)
        return u"the real edit failed: "_s + shown(real);
    if (source.state() == before)
        return u"the real edit changed nothing, so the comparison proves nothing"_s;
    QJsonObject dry = jsonReport(json.out);
    const QJsonObject applied = jsonReport(real.out);
    const QString summary = applied.value(u"summary"_s).toString();
    const QString expectedText =
        u"Would apply: "_s + summary + u"\nDry run: nothing was written.\n"_s;
    if (summary.isEmpty() || QString::fromUtf8(text.out) != expectedText)
        return u"dry run said:\n"_s + QString::fromUtf8(text.out) + u"the edit said:\n"_s + summary;
    if (dry.take(u"dry_run"_s) != QJsonValue(true))
        return u"no \"dry_run\": true in "_s + QString::fromUtf8(json.out);
    // Nothing was written, so nothing was audited either.
    if (dry.take(u"audit_logged"_s) != QJsonValue(false))
        return u"a dry run claims an audit row: "_s + QString::fromUtf8(json.out);
    QJsonObject expected = applied;
    expected.remove(u"audit_logged"_s);
    if (dry != expected)
        return u"dry run:\n"_s + QString::fromUtf8(json.out) + u"real edit:\n"_s +
               QString::fromUtf8(real.out);
    return {};
}

// Empty when `args` are refused with --dry-run exactly as without it (exit code, stderr, nothing
// on stdout) and neither writes anything; otherwise what went wrong.
inline QString dryRunRefusedLikeApply(const DryRunSource& source, const QStringList& args) {
    const QString before = source.state();
    const CliRun dry = source.run(args + QStringList{u"--dry-run"_s});
    const CliRun real = source.run(args);
    if (real.exitCode == 0)
        return u"the edit was not refused: "_s + shown(real);
    if (dry.exitCode != real.exitCode || dry.err != real.err || !dry.out.isEmpty())
        return u"dry run: "_s + shown(dry) + u"\nreal edit: "_s + shown(real);
    if (const QString after = source.state(); after != before)
        return u"a refused edit wrote something:\n--- before\n"_s + before + u"\n--- after\n"_s +
               after;
    return {};
}

} // namespace litescope::test
