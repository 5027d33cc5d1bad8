#include "store/Store.h"

#include "domain/TranslationContexts.h"

#include <QCoreApplication>

namespace litescope {

using namespace Qt::StringLiterals;

// The wrappers name each task before awaiting it: GCC 12 destroys a temporary passed by value to
// a coroutine inside a co_await expression twice. They touch `this` only before their first
// co_await, so a store destroyed mid-call is never reached through them. Each links the caller's
// cancellation with the store's lifetime; the link lives in the wrapper's frame, as long as the
// call.

Store::~Store() {
    m_lifetime->cancel();
}

QCoro::Task<Result<StoreInfo>> Store::open() {
    const std::optional<LiteLLMVersion> version = m_version;
    QCoro::Task<Result<StoreInfo>> task = doOpen();
    Result<StoreInfo> info = co_await std::move(task);
    if (info && version)
        info->litellmVersion = version->toString();
    co_return info;
}

QCoro::Task<Result<Workspace>> Store::snapshot(CallOptions options) {
    if (options.isCancelled())
        co_return CallOptions::cancelledError();
    const CancellationLink link{options.cancellation, m_lifetime};
    options.cancellation = link.cancellation();
    const std::optional<LiteLLMVersion> version = m_version;
    QCoro::Task<Result<Workspace>> task = doSnapshot(std::move(options));
    Result<Workspace> workspace = co_await std::move(task);
    // The admin's version wins over what the store detected, and is not an assumption.
    if (workspace && version) {
        workspace->source.litellmVersion = version->toString();
        workspace->source.assumed.removeAll(u"litellm_version"_s);
    }
    co_return workspace;
}

QCoro::Task<Result<KeySlice>> Store::keySnapshot(QString tokenOrAlias, CallOptions options) {
    if (options.isCancelled())
        co_return CallOptions::cancelledError();
    const CancellationLink link{options.cancellation, m_lifetime};
    options.cancellation = link.cancellation();
    const std::optional<LiteLLMVersion> version = m_version;
    QCoro::Task<Result<KeySlice>> task = doKeySnapshot(std::move(tokenOrAlias), std::move(options));
    Result<KeySlice> slice = co_await std::move(task);
    // As snapshot(): the admin's version wins.
    if (slice && version) {
        slice->workspace.source.litellmVersion = version->toString();
        slice->workspace.source.assumed.removeAll(u"litellm_version"_s);
    }
    co_return slice;
}

QCoro::Task<Result<KeySlice>> Store::doKeySnapshot(QString tokenOrAlias, CallOptions options) {
    QCoro::Task<Result<Workspace>> task = doSnapshot(std::move(options));
    const Result<Workspace> whole = co_await std::move(task);
    if (!whole)
        co_return whole.error();
    co_return keySlice(*whole, tokenOrAlias);
}

QCoro::Task<Result<Page<Team>>> Store::teams(PageRequest page, CallOptions options) {
    if (page.limit <= 0)
        co_return Error::invalid(
            StoreText::tr("The page limit must be at least 1, not %1.").arg(page.limit));
    if (options.isCancelled())
        co_return CallOptions::cancelledError();
    const CancellationLink link{options.cancellation, m_lifetime};
    options.cancellation = link.cancellation();
    QCoro::Task<Result<Page<Team>>> task = doTeams(std::move(page), std::move(options));
    co_return co_await std::move(task);
}

QCoro::Task<Result<QList<TeamMember>>> Store::members(QString team, CallOptions options) {
    if (options.isCancelled())
        co_return CallOptions::cancelledError();
    const CancellationLink link{options.cancellation, m_lifetime};
    options.cancellation = link.cancellation();
    QCoro::Task<Result<QList<TeamMember>>> task = doMembers(std::move(team), std::move(options));
    co_return co_await std::move(task);
}

QCoro::Task<Result<EditOutcome>> Store::apply(StoreEdit edit) {
    QList<StoreEdit> edits{std::move(edit)};
    const CancellationLink link{m_lifetime};
    CallOptions options;
    options.cancellation = link.cancellation();
    QCoro::Task<BatchResult> task = doApply(std::move(edits), std::move(options));
    BatchResult batch = co_await std::move(task);
    if (batch.error)
        co_return *batch.error;
    if (batch.applied.size() != 1)
        co_return Error{
            ErrorKind::ServerError,
            StoreText::tr("The store applied %1 edits for 1.").arg(batch.applied.size())};
    co_return std::move(batch.applied.front());
}

QCoro::Task<BatchResult> Store::apply(QList<StoreEdit> edits, CallOptions options) {
    if (options.isCancelled()) {
        BatchResult cancelled;
        cancelled.error = CallOptions::cancelledError();
        cancelled.failedIndex = 0;
        co_return cancelled;
    }
    if (edits.isEmpty())
        co_return BatchResult{};
    const CancellationLink link{options.cancellation, m_lifetime};
    options.cancellation = link.cancellation();
    QCoro::Task<BatchResult> task = doApply(std::move(edits), std::move(options));
    BatchResult batch = co_await std::move(task);
    if (batch.appliedIndexes.isEmpty())
        for (qsizetype i = 0; i < batch.applied.size(); ++i)
            batch.appliedIndexes.append(i);
    co_return batch;
}

QCoro::Task<Status> Store::checkEdit(StoreEdit edit) {
    QCoro::Task<Status> task = doCheckEdit(std::move(edit));
    co_return co_await std::move(task);
}

} // namespace litescope
