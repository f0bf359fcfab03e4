#pragma once

#include "apireply.h"
#include "dto.h"
#include "pager.h"
#include "request.h"

#include <QFlags>
#include <QObject>
#include <QStringList>

namespace sb::api {

class Session;

enum class PlatformKind { Talknex, SpeakNode };

//! One voice-AI platform seen through the console's concepts. Everything above api/ talks to
//! this interface only and asks capabilities() instead of naming a platform. A call to a
//! method the platform lacks finishes with ApiError::Kind::NotSupported (never a crash).
class Platform : public QObject
{
    Q_OBJECT
public:
    enum class Capability {
        AgentsWritable = 0x0001,
        Contacts = 0x0002,
        Knowledge = 0x0004,
        LiveTranscript = 0x0008,
        ServerSentiment = 0x0010,
        NumberPurchase = 0x0020,
        CallDelete = 0x0040,
        Recordings = 0x0080,
        DocumentList = 0x0100, //!< listing documents; may still answer NotSupported at runtime
        CallPlacement = 0x0200,
        PhoneNumberEdit = 0x0400,
        ConcurrencyTokens = 0x0800, //!< ETag / If-Match on get-single and patch
    };
    Q_DECLARE_FLAGS(Capabilities, Capability)
    Q_FLAG(Capabilities)

    explicit Platform(Session *session, QObject *parent = nullptr);

    Session *session() const { return m_session; }
    virtual PlatformKind kind() const = 0;
    virtual QString displayName() const = 0;
    virtual Capabilities capabilities() const = 0;
    bool can(Capability c) const { return capabilities().testFlag(c); }
    //! Translated reason to show on a disabled control; empty when supported.
    QString unsupportedReason(Capability c) const;

    // Agents
    virtual Pager<Agent> agents(int pageSize = 100, Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<Agent> agent(const QString &id, Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<Agent> createAgent(const AgentChanges &fields) = 0;
    //! `ifMatch` = Agent::etag from agent(); a stale one fails with PreconditionFailed and
    //! ApiError::current holding the server's Agent.
    virtual ApiReply<Agent> patchAgent(const QString &id, const AgentChanges &changes,
                                       const QString &ifMatch = QString()) = 0;
    virtual ApiReply<NoContent> deleteAgent(const QString &id) = 0;

    // Calls
    virtual ApiReply<Call> placeCall(const PlaceCallRequest &call) = 0;
    virtual Pager<Call> calls(const CallFilter &filter, int pageSize = 100,
                              Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<CallDetails> callDetails(const QString &id, Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<NoContent> deleteCall(const QString &id) = 0;
    //! Streams the recording into `filePath` (through "<filePath>.part", resumed with Range
    //! after a failure); progress via ApiReply::onProgress. The result is the final path.
    virtual ApiReply<QString> downloadRecording(const QString &callId, const QString &filePath,
                                                Lane lane = Lane::Interactive) = 0;

    // Phone numbers
    virtual Pager<PhoneNumber> phoneNumbers(int pageSize = 100, Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<PhoneNumber> purchaseNumber(const NumberPurchase &purchase) = 0;
    virtual ApiReply<PhoneNumber> patchPhoneNumber(const QString &id,
                                                   const PhoneNumberChanges &changes) = 0;
    virtual ApiReply<NoContent> releasePhoneNumber(const QString &id) = 0;

    // Knowledge
    virtual Pager<KnowledgeCollection> collections(int pageSize = 100,
                                                   Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<KnowledgeCollection> createCollection(const QString &name,
                                                           const QString &description) = 0;
    //! NotSupported when the server does not offer listing (404).
    virtual Pager<Document> documents(const QString &collectionId, int pageSize = 100,
                                      Lane lane = Lane::Interactive) = 0;
    //! Multipart upload (part `file`); progress via ApiReply::onProgress.
    virtual ApiReply<Document> uploadDocument(const QString &collectionId,
                                              const QString &filePath) = 0;
    virtual ApiReply<Document> submitTextDocument(const QString &collectionId, const QString &title,
                                                  const QStringList &chunks) = 0;
    virtual ApiReply<NoContent> deleteDocument(const QString &collectionId,
                                               const QString &documentId) = 0;

    // Contacts
    virtual Pager<Contact> contacts(const QString &query, const QString &tag, int pageSize = 100,
                                    Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<Contact> contact(const QString &id, Lane lane = Lane::Interactive) = 0;
    virtual ApiReply<Contact> createContact(const ContactChanges &fields) = 0;
    virtual ApiReply<Contact> patchContact(const QString &id, const ContactChanges &changes,
                                           const QString &ifMatch = QString()) = 0;

protected:
    //! A reply that finishes with NotSupported for capability `c`.
    template<class T> ApiReply<T> unsupported(Capability c);

private:
    PendingRequest *unsupportedRequest(Capability c);
    Session *m_session;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(Platform::Capabilities)

template<class T> ApiReply<T> Platform::unsupported(Capability c)
{
    return ApiReply<T>(unsupportedRequest(c), [](const PendingRequest &) -> Result<T> {
        return ApiError(ApiError::Kind::NotSupported, QString());
    });
}

//! Creates the Platform for `kind` on `session` (parented to `parent`); nullptr without a
//! session.
Platform *createPlatform(PlatformKind kind, Session *session, QObject *parent = nullptr);

} // namespace sb::api
