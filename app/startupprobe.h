#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <cstdio>

class QAbstractItemModel;
class QSocketNotifier;

namespace sb::app {

//! Start-up figures for bench/bench_startup, only when SWITCHBOARD_STARTUP_REPORT=<file or ->
//! is set: the first paint of the first top-level window in ms since the process started, the
//! first rows of the console's live and agent models, and on request (a line on standard input)
//! the resident set size. Qt Widgets only, so the empty-window baseline reports the same way.
//!
//! Report lines (one per line, flushed):
//!   started-ms <ms>              the composition root's start() returned (see started())
//!   first-paint-ms <ms>          first top-level widget painted and flushed to the window system
//!   first-paint-at-ns <ns>       the same moment on CLOCK_BOOTTIME (for the launcher's own clock)
//!   first-rows-ms <label> <ms>   a watched model ("live", "agents") got its first row
//! Requests on stdin: "report" answers "rss-kb <VmRSS>", "rows <label> <n>" per watched model,
//! then "report-end"; "quit" leaves the event loop (exit code 0).
class StartupProbe : public QObject
{
    Q_OBJECT
public:
    //! A probe when SWITCHBOARD_STARTUP_REPORT is set, else nullptr. Call once QApplication exists.
    static StartupProbe *fromEnvironment(QObject *parent = nullptr);
    ~StartupProbe() override;

    //! The composition root \a root has started (the event loop comes next): writes
    //! "started-ms <ms>" and watches the item models under \a root that the bench knows by class
    //! (the console's live calls and agents), by name so that this file needs nothing but Qt.
    void started(QObject *root);

    //! Milliseconds since this process started (/proc/self/stat starttime, 10 ms ticks): the
    //! kernel's start, so exec and dynamic loading count.
    static double msSinceProcessStart();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    StartupProbe(FILE *out, QObject *parent);
    void firstPaintDone();
    void watchModels(QObject *root);
    void attachModel(QAbstractItemModel *model, const QString &label);
    void readRequests();
    void writeLine(const QString &line);

    FILE *m_out = nullptr;
    bool m_ownsFile = false;
    bool m_paintPending = false;
    QPointer<QObject> m_root;
    QHash<QString, QPointer<QAbstractItemModel>> m_models;
    QSet<QString> m_reported; //!< labels whose first rows were reported
    QSocketNotifier *m_stdin = nullptr;
    QByteArray m_pending;
};

} // namespace sb::app
