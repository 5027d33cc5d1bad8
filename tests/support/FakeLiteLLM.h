#pragma once

#include "domain/Workspace.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;

namespace litescope::test {

class FakeLiteLLMRoutes;
struct FakeReply;

// An in-process LiteLLM proxy for the admin API client's tests: a real HTTP/1.1 (or HTTPS)
// server on a random port of 127.0.0.1 that answers the admin endpoints from an in-memory
// Workspace with LiteLLM v1.96's JSON shapes, status codes and error bodies
// (shared/docs/litellm-admin-api.md). Writes change the Workspace, so later reads show them.
//
// Keys: the master key may do everything; viewer keys may GET but get 403 on every POST. Every
// route but /health/readiness and /health/liveliness needs `Authorization: Bearer <key>` or
// `x-litellm-api-key: [Bearer ]<key>`; a wrong key gets LiteLLM's 401, which echoes the key in
// full (clients must redact it).
//
// HTTP: keep-alive connections serve requests in order (a delayed answer holds back the ones
// behind it), bodies may arrive in pieces, `Connection: close` is honoured, and a client that
// disconnects mid-request is forgotten. Every answer has Content-Type: application/json and a
// Content-Length. Query strings are decoded like Starlette does ('+' is a space).
//
// Lives on the thread that created it; serve it with that thread's event loop (QEventLoop,
// QSignalSpy::wait), never with blocking waits on the same thread.
class FakeLiteLLM : public QObject {
    Q_OBJECT

public:
    struct RecordedRequest {
        QByteArray method;
        QString path; // decoded, without the query
        QUrlQuery query;
        QMap<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
    };

    // Replaces the next `times` answers for a path (checked before routes and keys). A
    // non-empty `body` or a status other than 200 is sent as is and the request is not applied;
    // otherwise the normal answer is sent, and a write applied at once. Either way after
    // `delayMs`. `dropConnection` closes the connection without answering. Note that
    // QNetworkAccessManager resends a request (POSTs too) once when its connection closes before
    // any answer: a drop reaches the client only with `times` >= 2.
    struct Fault {
        int status = 200;
        QByteArray body;
        int delayMs = 0;
        int times = 1;
        bool dropConnection = false;
    };

    FakeLiteLLM(Workspace data, QString masterKey, QObject* parent = nullptr);
    ~FakeLiteLLM() override;

    // Plain HTTP on 127.0.0.1, a free port.
    bool listen(QString* error);
    // HTTPS on 127.0.0.1 with the given PEM certificate and (unencrypted) private key.
    bool listenTls(const QString& certificatePem, const QString& privateKeyPem, QString* error);
    // http://127.0.0.1:PORT or https://127.0.0.1:PORT; empty before listen().
    QUrl url() const;

    void addViewerKey(QString key);
    // The LiteLLM release the fake is (default "1.96.0"): what /health/readiness reports, and
    // the behaviour of the routes that changed between releases (LiteLLMRelease.h). Before
    // 1.103.0 /team/member_update ignores null and the /management/v1 bulk member routes answer
    // 404 Not Found; from 1.103.0 member_update is a merge-patch that unlinks a member left with
    // no limit, and bulk_update / bulk_delete are served.
    void setLiteLLMVersion(QString version);
    // Whether /health/readiness shows litellm_version (default true); the fake still behaves as
    // its release.
    void setReportsVersion(bool reports);
    // LiteLLM_AuditLog rows the fake's 1.103 routes wrote (bulk_update: one per call).
    QList<QJsonObject> auditLog() const;
    // Budget rows a member was unlinked from (1.103.0: kept, not deleted), as /team/info's
    // litellm_budget_table showed them.
    QList<QJsonObject> detachedBudgets() const;
    // Whether /team/info includes the team's litellm_model_table (its model aliases). LiteLLM
    // v1.96's own /team/info does not; the default (true) serves them so that snapshots can be
    // compared with the data exactly.
    void setTeamInfoShowsModelTable(bool shows);

    // The path answers 404 {"detail": "Not Found"}, as on a proxy too old to have it.
    void disableRoute(const QString& path);
    // Faults for the same path queue up: the second applies once the first is used up.
    void injectFault(const QString& path, Fault fault);
    // A fault that answers `status` (a 3xx) with `Location: location` and a body that names it
    // too, as web servers do. A location back to the same path with `times` above 50 makes a
    // loop QNetworkAccessManager gives up on.
    void injectRedirect(const QString& path, int status, QByteArray location, int times = 1);
    // Fails the running test for every injected fault that no request ever met: the test then
    // did not exercise what it set up. Suites call it from cleanup().
    void verifyFaultsFired() const;
    void clearFaults();

    const Workspace& data() const;
    // The proxy's data, to change behind the client's back (as another admin would, through
    // endpoints the fake does not have: /team/new, /team/delete).
    Workspace& editData();
    // Every request received, in order, including refused and faulted ones.
    QList<RecordedRequest> requests() const;
    void clearRequests();
    int requestCount(const QString& path) const;

private:
    struct Connection {
        QByteArray buffer; // received bytes not yet consumed by a request
        bool busy = false; // a delayed answer is pending; later requests wait in the buffer
    };

    bool startListening(QTcpServer* server, QString* error);
    void acceptConnections();
    void serveBuffered(QTcpSocket* socket);
    bool serve(QTcpSocket* socket, const RecordedRequest& request, bool close);
    FakeReply answer(const RecordedRequest& request);
    std::optional<FakeReply> refusal(const RecordedRequest& request) const;
    struct QueuedFault {
        Fault fault;
        bool fired = false;
        QByteArray location; // a Location header to send with it
    };
    std::optional<QueuedFault> takeFault(const QString& path);
    void send(QTcpSocket* socket, int status, const QByteArray& body, bool close,
              const QByteArray& location = {});

    std::unique_ptr<FakeLiteLLMRoutes> m_routes;
    QString m_masterKey;
    QStringList m_viewerKeys;
    QSet<QString> m_disabledRoutes;
    QHash<QString, QList<QueuedFault>> m_faults;
    QList<RecordedRequest> m_requests;
    QTcpServer* m_server = nullptr;
    bool m_tls = false;
    QHash<QTcpSocket*, Connection> m_connections;
};

} // namespace litescope::test
