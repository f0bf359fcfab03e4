#pragma once

#include "platform.h"

#include <QDateTime>
#include <QSet>

#include <functional>

namespace sb::api {

//! SpeakNode (CONTRACT §2) on a Session: page-based REST lists, read-only agents, dispatch,
//! pre-signed recordings, and a locally estimated sentiment (speaknodejson.h,
//! sentimentestimator.h). What SpeakNode lacks answers NotSupported without a request.
class SpeakNodePlatform : public Platform
{
    Q_OBJECT
public:
    explicit SpeakNodePlatform(Session *session, QObject *parent = nullptr);

    //! An audio_url that expires within this many seconds is fetched fresh before a download.
    static constexpr int kAudioUrlMarginSecs = 30;

    PlatformKind kind() const override { return PlatformKind::SpeakNode; }
    QString displayName() const override;
    Capabilities capabilities() const override;

    Pager<Agent> agents(int pageSize, Lane lane) override;
    //! The agent with its tools (resolved through GET /tools by tool_ids).
    ApiReply<Agent> agent(const QString &id, Lane lane) override;
    ApiReply<Agent> createAgent(const AgentChanges &fields) override;
    ApiReply<Agent> patchAgent(const QString &id, const AgentChanges &changes,
                               const QString &ifMatch) override;
    ApiReply<NoContent> deleteAgent(const QString &id) override;

    //! POST /conversations/dispatch. A 422 names the console's field ("to", "from", "agentId").
    ApiReply<Call> placeCall(const PlaceCallRequest &call) override;
    //! Cursor = next page number. Direction, sentiment and query text are filtered on each
    //! page, so a page may hold fewer rows than asked for (even none) and still have a next.
    Pager<Call> calls(const CallFilter &filter, int pageSize, Lane lane) override;
    //! The session with its history; sentiment estimated locally (SentimentEstimator).
    ApiReply<CallDetails> callDetails(const QString &id, Lane lane) override;
    ApiReply<NoContent> deleteCall(const QString &id) override;
    //! Downloads the pre-signed audio_url without the Authorization header; an URL that is about
    //! to expire, or that the media host refuses (403), is fetched fresh once.
    ApiReply<QString> downloadRecording(const QString &callId, const QString &filePath,
                                        Lane lane) override;

    Pager<PhoneNumber> phoneNumbers(int pageSize, Lane lane) override;
    ApiReply<PhoneNumber> purchaseNumber(const NumberPurchase &purchase) override;
    ApiReply<PhoneNumber> patchPhoneNumber(const QString &id,
                                           const PhoneNumberChanges &changes) override;
    ApiReply<NoContent> releasePhoneNumber(const QString &id) override;

    Pager<KnowledgeCollection> collections(int pageSize, Lane lane) override;
    ApiReply<KnowledgeCollection> createCollection(const QString &name,
                                                   const QString &description) override;
    Pager<Document> documents(const QString &collectionId, int pageSize, Lane lane) override;
    ApiReply<Document> uploadDocument(const QString &collectionId,
                                      const QString &filePath) override;
    ApiReply<Document> submitTextDocument(const QString &collectionId, const QString &title,
                                          const QStringList &chunks) override;
    ApiReply<NoContent> deleteDocument(const QString &collectionId,
                                       const QString &documentId) override;

    Pager<Contact> contacts(const QString &query, const QString &tag, int pageSize,
                            Lane lane) override;
    ApiReply<Contact> contact(const QString &id, Lane lane) override;
    ApiReply<Contact> createContact(const ContactChanges &fields) override;
    ApiReply<Contact> patchContact(const QString &id, const ContactChanges &changes,
                                   const QString &ifMatch) override;

    //! Inbound when `to` is one of the account's numbers, else Outbound (SpeakNode sends no
    //! direction). `known` tells whether either number was recognised.
    CallDirection directionOf(const Call &call, bool *known = nullptr) const;
    //! Least time between two fetches of the numbers caused by an unknown number (default 10 s).
    void setNumbersRefreshIntervalMs(qint64 ms) { m_numbersRefreshMinMs = ms; }

private:
    //! Runs `then` once the account's numbers are known (fetched once, again when `refresh`
    //! and the last fetch is older than a few seconds). A failed fetch still runs `then`: the
    //! calls show without a direction rather than not at all.
    void withNumbers(bool refresh, Lane lane, const QObject *context, std::function<void()> then);
    void classify(QList<Call> &calls) const;

    QSet<QString> m_ownNumbers;
    QDateTime m_numbersFetchedAt;
    bool m_numbersKnown = false; //!< a listing of the numbers has succeeded at least once
    qint64 m_numbersRefreshMinMs = 10 * 1000;
    bool m_numbersFetching = false;
    QList<std::pair<QPointer<const QObject>, std::function<void()>>> m_numberWaiters;
};

} // namespace sb::api
