#include "livestream.h"
#include "platform.h"
#include "speaknodestream.h"

namespace sb::api {

LiveStream *LiveStream::create(Platform *platform, QObject *parent)
{
    switch (platform->kind()) {
    case PlatformKind::SpeakNode:
        return new SpeakNodeStream(platform, parent);
    case PlatformKind::Talknex:
        break;
    }
    return new LiveStream(platform, parent);
}

} // namespace sb::api
