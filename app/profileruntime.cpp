#include "profileruntime.h"

#include "api/livestream.h"
#include "api/platform.h"
#include "api/session.h"
#include "api/speaknodestream.h"
#include "models/agentlistmodel.h"
#include "models/alertlogmodel.h"
#include "models/alertservice.h"
#include "models/callcache.h"
#include "models/collectionmodel.h"
#include "models/contactmodel.h"
#include "models/livecallsmodel.h"
#include "models/phonenumbermodel.h"
#include "models/settings.h"
#include "models/syncservice.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLoggingCategory>
#include <QStandardPaths>

Q_LOGGING_CATEGORY(lcRuntime, "switchboard.app")

namespace sb::app {

using namespace sb::models;
using sb::ui::ConsoleContext;

namespace {
QString defaultUserName()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME");
    return name.isEmpty() ? QStringLiteral("supervisor") : name;
}
} // namespace

ProfileRuntime::ProfileRuntime(const Options &options, Settings *settings, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    ConsoleContext &c = m_context;
    c.settings = settings;
    c.navigator = new sb::ui::Navigator(this);
    c.session = new sb::api::Session(this);
    c.platform = sb::api::createPlatform(options.platform, c.session, this);
    c.stream = sb::api::LiveStream::create(c.platform, this);
    c.cache = new CallCache(this);
    c.sync = new SyncService(c.platform, c.cache, c.stream, this);
    c.alerts = new AlertService(this);
    c.alertLog = new AlertLogModel(c.alerts, this);
    c.agents = new AgentListModel(this);
    c.numbers = new PhoneNumberModel(this);
    c.contacts = new ContactModel(this);
    c.collections = new CollectionModel(this);
    c.liveCalls = new LiveCallsModel(this);
    c.userName = options.userName.isEmpty() ? defaultUserName() : options.userName;
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(options.profileId.toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(16));
    c.mediaCacheDir = options.mediaCacheDir.isEmpty()
                          ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                QStringLiteral("/media/") + hash
                          : options.mediaCacheDir;

    c.alerts->setRules(settings->alertRules());
    c.alerts->setCallTimeRate(options.callTimeRate);
    c.alerts->setCache(c.cache);
    if (auto *polled = qobject_cast<sb::api::SpeakNodeStream *>(c.stream))
        c.alerts->setTranscriptDelay([polled] { return qint64(polled->pollIntervalMs()); });
    connect(c.stream, &sb::api::LiveStream::eventsReady, c.alerts, &AlertService::applyBatch);
    connect(c.stream, &sb::api::LiveStream::stateChanged, c.alerts,
            [alerts = c.alerts](sb::api::StreamState state, qint64) {
                alerts->setStreamConnected(state == sb::api::StreamState::Connected);
            });
    c.liveCalls->setAlertService(c.alerts);
    c.liveCalls->setSentimentEstimated(
        !c.platform->can(sb::api::Platform::Capability::ServerSentiment));
    c.liveCalls->setAgentNameLookup([agents = c.agents](const QString &id) {
        const int row = agents->rowOf(id);
        return row < 0 ? QString() : agents->itemAt(row).name;
    });
    c.liveCalls->setContactNameLookup([contacts = c.contacts](const QString &id) {
        const int row = contacts->rowOf(id);
        return row < 0 ? QString() : contacts->itemAt(row).name;
    });

    connect(c.session, &sb::api::Session::unauthorized, this, &ProfileRuntime::credentialRejected);
    connect(c.stream, &sb::api::LiveStream::credentialRejected, this,
            &ProfileRuntime::credentialRejected);
    connect(c.cache, &CallCache::writeFailed, c.navigator, &sb::ui::Navigator::statusMessage);
    // The history shows contact names and filters by them: the cache keeps a copy.
    connect(c.contacts, &ContactModel::stateChanged, c.cache,
            [contacts = c.contacts, cache = c.cache](PagedListModel::State state) {
                if (state == PagedListModel::State::Loaded && cache->isOpen())
                    cache->storeContacts(contacts->items());
            });
}

ProfileRuntime::~ProfileRuntime()
{
    stop();
}

bool ProfileRuntime::start(QString *error)
{
    ConsoleContext &c = m_context;
    const sb::api::ApiError urlError = c.session->setBaseUrl(m_options.baseUrl);
    if (urlError.isError()) {
        if (error)
            *error = urlError.caption();
        return false;
    }
    if (m_options.tokenSource)
        c.session->setTokenSource(m_options.tokenSource);
    else
        c.session->setApiKey(m_options.apiKey);
    QDir().mkpath(c.mediaCacheDir);

    QString cacheError;
    const bool opened = m_options.cachePath.isEmpty()
                            ? c.cache->open(m_options.profileId, &cacheError)
                            : c.cache->openFile(m_options.cachePath, &cacheError);
    if (!opened) {
        qCWarning(lcRuntime) << "cache did not open:" << cacheError;
        Q_EMIT c.navigator->statusMessage(
            tr("The local call history is unavailable: %1").arg(cacheError));
    }
    c.agents->load(c.platform);
    c.numbers->load(c.platform);
    // What the platform lacks is not asked for: its panes show the reason instead.
    using Capability = sb::api::Platform::Capability;
    if (c.platform->can(Capability::Contacts))
        c.contacts->load(c.platform);
    if (c.platform->can(Capability::Knowledge))
        c.collections->load(c.platform);
    c.liveCalls->attach(c.stream);
    c.liveCalls->loadActive(c.platform);
    if (opened)
        c.sync->start();
    c.stream->start();
    m_started = true;
    return true;
}

void ProfileRuntime::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_context.sync->stop();
    m_context.stream->stop();
    m_context.cache->flush();
    m_context.cache->close();
}

} // namespace sb::app
