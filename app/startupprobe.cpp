#include "startupprobe.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QEvent>
#include <QSocketNotifier>
#include <QTimer>
#include <QWidget>

#include <ctime>
#include <unistd.h>

namespace sb::app {

namespace {

//! Models the bench asks about, by class name (the probe links nothing but Qt).
const QHash<QByteArray, QString> &watchedClasses()
{
    static const QHash<QByteArray, QString> classes = {
        {QByteArrayLiteral("sb::models::LiveCallsModel"), QStringLiteral("live")},
        {QByteArrayLiteral("sb::models::AgentListModel"), QStringLiteral("agents")},
    };
    return classes;
}

qint64 bootTimeNs()
{
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

//! Field 22 of /proc/self/stat: when the kernel started the process, in clock ticks since boot
//! (the same clock as CLOCK_BOOTTIME). -1 when unreadable.
qint64 processStartNs()
{
    FILE *stat = std::fopen("/proc/self/stat", "r");
    if (!stat)
        return -1;
    char buffer[1024] = {};
    const size_t n = std::fread(buffer, 1, sizeof buffer - 1, stat);
    std::fclose(stat);
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    const QByteArray line(buffer, qsizetype(n));
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    constexpr int startTimeAfterName = 22 - 3;
    if (fields.size() <= startTimeAfterName)
        return -1;
    const qint64 ticks = fields.at(startTimeAfterName).toLongLong();
    return ticks * (1000000000 / sysconf(_SC_CLK_TCK));
}

qint64 residentKb()
{
    FILE *status = std::fopen("/proc/self/status", "r");
    if (!status)
        return -1;
    char line[256];
    qint64 kb = -1;
    while (std::fgets(line, sizeof line, status)) {
        if (std::sscanf(line, "VmRSS: %lld kB", &kb) == 1)
            break;
    }
    std::fclose(status);
    return kb;
}

} // namespace

StartupProbe *StartupProbe::fromEnvironment(QObject *parent)
{
    const QByteArray target = qgetenv("SWITCHBOARD_STARTUP_REPORT");
    if (target.isEmpty())
        return nullptr;
    FILE *out = target == "-" ? stdout : std::fopen(target.constData(), "w");
    if (!out)
        return nullptr;
    auto *probe = new StartupProbe(out, parent);
    probe->m_ownsFile = out != stdout;
    return probe;
}

StartupProbe::StartupProbe(FILE *out, QObject *parent)
    : QObject(parent)
    , m_out(out)
{
    // On the application, so the first paint of any top-level window is seen, whichever comes.
    QCoreApplication::instance()->installEventFilter(this);
    m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdin, &QSocketNotifier::activated, this, &StartupProbe::readRequests);
}

StartupProbe::~StartupProbe()
{
    if (m_ownsFile)
        std::fclose(m_out);
}

double StartupProbe::msSinceProcessStart()
{
    const qint64 start = processStartNs();
    return start < 0 ? -1.0 : double(bootTimeNs() - start) / 1e6;
}

bool StartupProbe::eventFilter(QObject *watched, QEvent *event)
{
    // First paint = the first paint event to a widget of a top-level window, counted when control
    // is back in the event loop: by then the repaint manager has painted every dirty widget of
    // that pass and flushed the backing store to the window system (xcb: the image is sent to
    // the X server). The expose event alone would come before any pixel was drawn. A widget
    // rendered into a pixmap (grab(), render()) before its window is shown does not count.
    if (event->type() == QEvent::Paint && !m_paintPending && watched->isWidgetType()) {
        const QWidget *window = static_cast<QWidget *>(watched)->window();
        const Qt::WindowType type = window->windowType();
        if ((type == Qt::Window || type == Qt::Dialog) && window->isVisible()) {
            m_paintPending = true;
            QTimer::singleShot(0, this, &StartupProbe::firstPaintDone);
        }
    }
    return QObject::eventFilter(watched, event);
}

void StartupProbe::firstPaintDone()
{
    const qint64 atNs = bootTimeNs();
    const qint64 startNs = processStartNs();
    QCoreApplication::instance()->removeEventFilter(this);
    writeLine(QStringLiteral("first-paint-ms %1").arg(double(atNs - startNs) / 1e6, 0, 'f', 1));
    writeLine(QStringLiteral("first-paint-at-ns %1").arg(atNs));
}

void StartupProbe::started(QObject *root)
{
    writeLine(QStringLiteral("started-ms %1").arg(msSinceProcessStart(), 0, 'f', 1));
    watchModels(root);
    // The demo builds its models only once the simulator is ready (asynchronously): look again
    // until every watched model is found, for at most a minute.
    auto *rescan = new QTimer(this);
    rescan->setInterval(25);
    connect(rescan, &QTimer::timeout, this, [this, rescan, left = 2400]() mutable {
        watchModels(m_root);
        if (m_models.size() >= watchedClasses().size() || --left <= 0)
            rescan->deleteLater();
    });
    rescan->start();
}

void StartupProbe::watchModels(QObject *root)
{
    m_root = root;
    if (!root)
        return;
    const QList<QAbstractItemModel *> models = root->findChildren<QAbstractItemModel *>();
    for (QAbstractItemModel *model : models) {
        const QString label = watchedClasses().value(model->metaObject()->className());
        if (!label.isEmpty() && m_models.value(label) != model)
            attachModel(model, label);
    }
}

void StartupProbe::attachModel(QAbstractItemModel *model, const QString &label)
{
    m_models.insert(label, model);
    auto check = [this, model, label] {
        if (m_reported.contains(label) || model->rowCount() == 0)
            return;
        m_reported.insert(label);
        writeLine(
            QStringLiteral("first-rows-ms %1 %2").arg(label).arg(msSinceProcessStart(), 0, 'f', 1));
    };
    connect(model, &QAbstractItemModel::rowsInserted, this, check);
    connect(model, &QAbstractItemModel::modelReset, this, check);
    connect(model, &QAbstractItemModel::layoutChanged, this, check);
    check();
}

void StartupProbe::readRequests()
{
    char buffer[512];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) { // end of input (or a closed stdin): nobody will ask again
        m_stdin->setEnabled(false);
        return;
    }
    m_pending.append(buffer, qsizetype(n));
    qsizetype end;
    while ((end = m_pending.indexOf('\n')) >= 0) {
        const QByteArray request = m_pending.left(end).trimmed();
        m_pending.remove(0, end + 1);
        if (request == "report") {
            watchModels(m_root); // the runtime may have been rebuilt (profile switch)
            writeLine(QStringLiteral("rss-kb %1").arg(residentKb()));
            for (auto it = m_models.cbegin(); it != m_models.cend(); ++it)
                writeLine(QStringLiteral("rows %1 %2")
                              .arg(it.key())
                              .arg(it.value() ? it.value()->rowCount() : 0));
            writeLine(QStringLiteral("report-end"));
        } else if (request == "quit") {
            QCoreApplication::exit(0);
        }
    }
}

void StartupProbe::writeLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out);
    std::fflush(m_out);
}

} // namespace sb::app
