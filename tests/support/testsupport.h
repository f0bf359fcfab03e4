#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace sb::test {

//! Sends a JSON POST to one of the simulator's admin endpoints and waits for the answer.
//! Returns the HTTP status (0 on a network error).
int postAdmin(const QUrl &adminBase, const QString &path, const QJsonObject &body);

//! GETs an admin endpoint and returns its JSON object (empty on failure).
QJsonObject getAdmin(const QUrl &adminBase, const QString &path);

//! A plain authorised GET (no client library), for spending a key's budget from outside.
//! Returns the HTTP status (0 on a network error).
int rawGet(const QUrl &url, const QString &apiKey);

} // namespace sb::test
