#include "logging.h"

namespace sb::api {

Q_LOGGING_CATEGORY(lcApi, "switchboard.api")
Q_LOGGING_CATEGORY(lcStream, "switchboard.stream")

QString maskPhone(const QString &number)
{
    // Two trailing digits are enough for an operator to tell numbers apart in a log, and too
    // few to identify a person.
    const qsizetype keep = 2;
    if (number.size() <= keep)
        return QString(number.size(), QLatin1Char('*'));
    QString masked;
    masked.reserve(number.size());
    for (qsizetype i = 0; i < number.size(); ++i) {
        const QChar c = number.at(i);
        if (i >= number.size() - keep || (i == 0 && c == QLatin1Char('+')))
            masked.append(c);
        else
            masked.append(QLatin1Char('*'));
    }
    return masked;
}

} // namespace sb::api
