// SpeakNodePlatform: what SpeakNode does not publish (agent writes, call deletion, number
// purchase and edits, knowledge, contacts). Each answers NotSupported without a request, with
// the reason the UI shows on the disabled control.

#include "session.h"
#include "speaknodeplatform.h"

#include <QPointer>

namespace sb::api {

ApiReply<Agent> SpeakNodePlatform::createAgent(const AgentChanges &)
{
    return unsupported<Agent>(Capability::AgentsWritable);
}

ApiReply<Agent> SpeakNodePlatform::patchAgent(const QString &, const AgentChanges &,
                                              const QString &)
{
    return unsupported<Agent>(Capability::AgentsWritable);
}

ApiReply<NoContent> SpeakNodePlatform::deleteAgent(const QString &)
{
    return unsupported<NoContent>(Capability::AgentsWritable);
}

ApiReply<NoContent> SpeakNodePlatform::deleteCall(const QString &)
{
    return unsupported<NoContent>(Capability::CallDelete);
}

ApiReply<PhoneNumber> SpeakNodePlatform::purchaseNumber(const NumberPurchase &)
{
    return unsupported<PhoneNumber>(Capability::NumberPurchase);
}

ApiReply<PhoneNumber> SpeakNodePlatform::patchPhoneNumber(const QString &,
                                                          const PhoneNumberChanges &)
{
    return unsupported<PhoneNumber>(Capability::PhoneNumberEdit);
}

ApiReply<NoContent> SpeakNodePlatform::releasePhoneNumber(const QString &)
{
    return unsupported<NoContent>(Capability::PhoneNumberEdit);
}

namespace {
template<class T>
Pager<T> unsupportedPager(SpeakNodePlatform *platform, std::function<ApiReply<Page<T>>()> make)
{
    QPointer<SpeakNodePlatform> self(platform);
    return Pager<T>([self, make](const QString &) { return self ? make() : ApiReply<Page<T>>(); });
}
} // namespace

Pager<KnowledgeCollection> SpeakNodePlatform::collections(int, Lane)
{
    return unsupportedPager<KnowledgeCollection>(
        this, [this] { return unsupported<Page<KnowledgeCollection>>(Capability::Knowledge); });
}

ApiReply<KnowledgeCollection> SpeakNodePlatform::createCollection(const QString &, const QString &)
{
    return unsupported<KnowledgeCollection>(Capability::Knowledge);
}

Pager<Document> SpeakNodePlatform::documents(const QString &, int, Lane)
{
    return unsupportedPager<Document>(
        this, [this] { return unsupported<Page<Document>>(Capability::Knowledge); });
}

ApiReply<Document> SpeakNodePlatform::uploadDocument(const QString &, const QString &)
{
    return unsupported<Document>(Capability::Knowledge);
}

ApiReply<Document> SpeakNodePlatform::submitTextDocument(const QString &, const QString &,
                                                         const QStringList &)
{
    return unsupported<Document>(Capability::Knowledge);
}

ApiReply<NoContent> SpeakNodePlatform::deleteDocument(const QString &, const QString &)
{
    return unsupported<NoContent>(Capability::Knowledge);
}

Pager<Contact> SpeakNodePlatform::contacts(const QString &, const QString &, int, Lane)
{
    return unsupportedPager<Contact>(
        this, [this] { return unsupported<Page<Contact>>(Capability::Contacts); });
}

ApiReply<Contact> SpeakNodePlatform::contact(const QString &, Lane)
{
    return unsupported<Contact>(Capability::Contacts);
}

ApiReply<Contact> SpeakNodePlatform::createContact(const ContactChanges &)
{
    return unsupported<Contact>(Capability::Contacts);
}

ApiReply<Contact> SpeakNodePlatform::patchContact(const QString &, const ContactChanges &,
                                                  const QString &)
{
    return unsupported<Contact>(Capability::Contacts);
}

} // namespace sb::api
