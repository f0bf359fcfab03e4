#include "platform.h"

#include "session.h"
#include "speaknodeplatform.h"
#include "talknexplatform.h"

namespace sb::api {

Platform::Platform(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{}

QString Platform::unsupportedReason(Capability c) const
{
    if (can(c))
        return QString();
    switch (c) {
    case Capability::AgentsWritable:
        return tr("%1 does not allow editing agents from the console.").arg(displayName());
    case Capability::Contacts:
        return tr("%1 has no contacts.").arg(displayName());
    case Capability::Knowledge:
        return tr("%1 has no knowledge collections.").arg(displayName());
    case Capability::LiveTranscript:
        return tr("%1 does not stream live transcripts.").arg(displayName());
    case Capability::ServerSentiment:
        return tr("%1 does not provide sentiment; it is estimated locally.").arg(displayName());
    case Capability::NumberPurchase:
        return tr("Numbers cannot be bought through %1's API.").arg(displayName());
    case Capability::CallDelete:
        return tr("%1 does not allow deleting calls.").arg(displayName());
    case Capability::Recordings:
        return tr("%1 does not provide recordings.").arg(displayName());
    case Capability::DocumentList:
        return tr("%1 does not list the documents of a collection.").arg(displayName());
    case Capability::CallPlacement:
        return tr("%1 does not allow placing calls from the console.").arg(displayName());
    case Capability::PhoneNumberEdit:
        return tr("%1 does not allow editing phone numbers.").arg(displayName());
    case Capability::ConcurrencyTokens:
        return tr("%1 cannot detect concurrent edits.").arg(displayName());
    }
    return tr("Not supported by %1.").arg(displayName());
}

PendingRequest *Platform::unsupportedRequest(Capability c)
{
    ApiError e(ApiError::Kind::NotSupported, unsupportedReason(c));
    return m_session->fail(e);
}

Platform *createPlatform(PlatformKind kind, Session *session, QObject *parent)
{
    if (!session)
        return nullptr;
    switch (kind) {
    case PlatformKind::Talknex:
        return new TalknexPlatform(session, parent);
    case PlatformKind::SpeakNode:
        return new SpeakNodePlatform(session, parent);
    }
    return nullptr;
}

} // namespace sb::api
