#pragma once

#include "platform.h"

namespace sb::api {

//! Talknex (CONTRACT §1) on a Session: REST paths and JSON mapping (talknexjson.h).
class TalknexPlatform : public Platform
{
    Q_OBJECT
public:
    explicit TalknexPlatform(Session *session, QObject *parent = nullptr);

    PlatformKind kind() const override { return PlatformKind::Talknex; }
    QString displayName() const override;
    Capabilities capabilities() const override;

    Pager<Agent> agents(int pageSize, Lane lane) override;
    ApiReply<Agent> agent(const QString &id, Lane lane) override;
    ApiReply<Agent> createAgent(const AgentChanges &fields) override;
    ApiReply<Agent> patchAgent(const QString &id, const AgentChanges &changes,
                               const QString &ifMatch) override;
    ApiReply<NoContent> deleteAgent(const QString &id) override;

    ApiReply<Call> placeCall(const PlaceCallRequest &call) override;
    Pager<Call> calls(const CallFilter &filter, int pageSize, Lane lane) override;
    ApiReply<CallDetails> callDetails(const QString &id, Lane lane) override;
    ApiReply<NoContent> deleteCall(const QString &id) override;
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
};

} // namespace sb::api
