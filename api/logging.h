#pragma once

#include <QLoggingCategory>
#include <QString>

namespace sb::api {

Q_DECLARE_LOGGING_CATEGORY(lcApi)
Q_DECLARE_LOGGING_CATEGORY(lcStream)

//! Masks an E.164 number for logs: keeps the '+' and the last two digits only.
QString maskPhone(const QString &number);

} // namespace sb::api
