#include "core/server/connection.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <limits>

namespace sluice::core::server {

namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

bool isParseError(const boost::beast::error_code& error) {
    return error.category() == beast_http::make_error_code(beast_http::error::need_more).category();
}

sdk::ErrorInfo framingError(http::FramingProblem problem) {
    // RFC 9112 §6.1/§6.3: a request whose body end is in doubt is refused and its connection
    // closed, since whatever follows could be read as another client's request.
    const bool unknown_coding = problem == http::FramingProblem::UnknownCoding;
    return {unknown_coding ? 501 : 400,
            "invalid_request_error",
            unknown_coding ? "unsupported_transfer_coding" : "invalid_framing",
            "the request has " + std::string(http::describe(problem)),
            "",
            0,
            ""};
}

sdk::ErrorInfo malformedHead() {
    return {400, "invalid_request_error", "invalid_request", "the request head is malformed", "", 0,
            ""};
}

sdk::ErrorInfo headTooLarge(std::uint64_t limit) {
    return {431,
            "invalid_request_error",
            "request_header_too_large",
            "the request head exceeds " + std::to_string(limit) + " bytes",
            "",
            0,
            ""};
}

sdk::ErrorInfo bodyTimedOut() {
    return {408,
            "invalid_request_error",
            "request_timeout",
            "the request body did not arrive in time",
            "",
            0,
            ""};
}

sdk::ErrorInfo malformedBody() {
    return {400,
            "invalid_request_error",
            "invalid_body_framing",
            "the request body's chunked framing is malformed",
            "",
            0,
            ""};
}

sdk::ErrorInfo serverBusy() {
    return {503, "server_error", "server_busy", "every worker is busy; retry shortly", "", 1, ""};
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionLimits& limits,
                       ConnectionHost& host)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), limits_(limits), host_(host) {
    host_.opened(*this);
}

Connection::~Connection() {
    host_.closed(*this);
}

void Connection::start() {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    // Workers write straight to the socket and wait for room with poll(), never in send().
    socket_.non_blocking(true, ignored);
    readHead();
}

void Connection::stop(bool abort_request) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), abort_request] {
        self->stopping_ = true;
        switch (self->phase()) {
            case Phase::ReadingHead:
            case Phase::Idle:
                self->close();
                break;
            case Phase::ReadingBody:
            case Phase::Writing:
                if (abort_request) {
                    self->close();
                }
                break;
            case Phase::Handling:
                if (abort_request) {
                    self->abort();
                }
                break;
            case Phase::HandedOver:
            case Phase::Closed:
                break;
        }
    });
}

void Connection::readHead() {
    enter(Phase::ReadingHead);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    // The route's limit applies once the head is admitted. Not boost::none: Beast 1.74 compares a
    // declared length with the empty optional and finds it over the limit.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    arm(limits_.header_timeout);
    beast_http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](const boost::beast::error_code& error, std::size_t) {
            self->onHead(error);
        });
}

void Connection::onHead(const boost::beast::error_code& error) {
    disarm();
    if (timed_out_ || error == beast_http::error::end_of_stream ||
        error == beast_http::error::partial_message || (error && !isParseError(error))) {
        close();  // overdue (slowloris), gone, or a socket error: nobody to answer
        return;
    }
    if (error == beast_http::error::header_limit) {
        refuse(headTooLarge(limits_.max_header_bytes));
        return;
    }
    if (const auto problem = framingRefusalOf(*parser_, error)) {
        refuse(framingError(*problem));
        return;
    }
    if (error) {
        refuse(malformedHead());
        return;
    }
    RequestHead head = headOf(*parser_);
    if (head.framing.problem != http::FramingProblem::None) {
        refuse(framingError(head.framing.problem));
        return;
    }
    framing_ = {head.method == "HEAD", head.version == 10,
                head.keep_alive && !stopping_ && !host_.draining()};
    const bool expect_continue = head.expect_continue;
    Admission admission = host_.requests().admit(std::move(head));
    if (admission.refusal) {
        refuse(*admission.refusal);
        return;
    }
    request_ = std::move(admission.request);
    const std::uint64_t limit = request_->bodyLimit();
    const auto declared = parser_->content_length();
    too_large_ = request_->bodyPlan() != BodyPlan::Refuse && declared && *declared > limit;
    if (request_->bodyPlan() == BodyPlan::Refuse || too_large_ || parser_->is_done()) {
        handle();  // nothing (more) to read: an unread body closes the connection after
        return;
    }
    parser_->get().body().keep = request_->bodyPlan() == BodyPlan::Read;
    parser_->body_limit(limit);
    if (expect_continue) {
        sendContinue();
    } else {
        readBody();
    }
}

void Connection::sendContinue() {
    enter(Phase::ReadingBody);
    arm(limits_.body_timeout);
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(
        socket_, asio::buffer(kContinue.data(), kContinue.size()),
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
            if (error || self->timed_out_) {
                self->close();
            } else {
                self->readBody();
            }
        });
}

void Connection::readBody() {
    enter(Phase::ReadingBody);
    if (!armed_) {
        arm(limits_.body_timeout);  // one deadline for the whole body, 100 Continue included
    }
    beast_http::async_read(socket_, buffer_, *parser_,
                           [self = shared_from_this()](const boost::beast::error_code& error,
                                                       std::size_t) { self->onBody(error); });
}

void Connection::onBody(const boost::beast::error_code& error) {
    disarm();
    if (timed_out_) {
        refuse(bodyTimedOut());
    } else if (error == beast_http::error::body_limit) {
        too_large_ = true;
        handle();
    } else if (error && isParseError(error) && error != beast_http::error::partial_message) {
        refuse(malformedBody());
    } else if (error) {
        close();  // the client left mid-body
    } else {
        handle();
    }
}

void Connection::handle() {
    enter(Phase::Handling);
    ReadBody body{std::move(parser_->get().body().bytes), too_large_};
    parser_.reset();
    if (request_->bodyPlan() == BodyPlan::Refuse || too_large_) {
        framing_.keep_alive = false;  // the body's rest is still on its way
    }
    auto job = [self = shared_from_this(), body = std::move(body)]() mutable {
        HttpResponseWriter writer(*self, self->framing_);
        self->request_->serve(std::move(body), writer, *self);
        const bool reusable = writer.finish();
        self->request_.reset();
        asio::post(self->timer_.get_executor(), [self, reusable] { self->onHandled(reusable); });
    };
    if (!host_.submit(std::move(job))) {
        request_.reset();
        refuse(serverBusy());
    }
}

void Connection::onHandled(bool reusable) {
    if (taken_over_.load()) {
        enter(Phase::HandedOver);
        return;
    }
    if (!reusable || stopping_ || host_.draining()) {
        close();
        return;
    }
    awaitNextHead();
}

void Connection::awaitNextHead() {
    too_large_ = false;
    if (buffer_.size() > 0) {
        readHead();  // a pipelined request is already here
        return;
    }
    enter(Phase::Idle);
    arm(limits_.idle_timeout);
    socket_.async_wait(asio::ip::tcp::socket::wait_read,
                       [self = shared_from_this()](const boost::system::error_code& error) {
                           self->disarm();
                           if (error || self->timed_out_ || self->phase() != Phase::Idle) {
                               self->close();
                           } else {
                               self->readHead();
                           }
                       });
}

void Connection::refuse(const sdk::ErrorInfo& error) {
    host_.refused(error.http_status);
    const bool http10 = parser_ && parser_->is_header_done() && parser_->get().version() == 10;
    answer(HttpResponseWriter::closingError(error, http10));
}

void Connection::answer(std::string bytes) {
    enter(Phase::Writing);
    arm(limits_.idle_timeout);
    auto owned = std::make_shared<std::string>(std::move(bytes));
    asio::async_write(socket_, asio::buffer(*owned),
                      [self = shared_from_this(), owned](const boost::system::error_code&,
                                                         std::size_t) { self->close(); });
}

void Connection::close() {
    if (phase() == Phase::Closed || phase() == Phase::HandedOver) {
        return;
    }
    enter(Phase::Closed);
    disarm();
    request_.reset();  // a request cut before its worker took it is no longer in flight
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

void Connection::arm(std::chrono::milliseconds within) {
    timed_out_ = false;
    armed_ = true;
    timer_.expires_after(within);
    timer_.async_wait([self = shared_from_this(),
                       generation = ++timer_generation_](const boost::system::error_code& error) {
        if (!error && generation == self->timer_generation_) {
            self->onTimeout();
        }
    });
}

void Connection::disarm() {
    armed_ = false;
    ++timer_generation_;
    timer_.cancel();
}

void Connection::onTimeout() {
    timed_out_ = true;
    armed_ = false;
    if (phase() == Phase::Writing) {
        close();
        return;
    }
    // The pending read ends with operation_aborted; its handler sees timed_out_.
    boost::system::error_code ignored;
    socket_.cancel(ignored);
}

bool Connection::send(std::string_view bytes) noexcept {
    const int fd = socket_.native_handle();
    const int wait_ms = static_cast<int>(limits_.idle_timeout.count());
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd room{fd, POLLOUT, 0};
            const int ready = ::poll(&room, 1, wait_ms);
            if (ready > 0 || (ready < 0 && errno == EINTR)) {
                continue;
            }
        }
        return false;  // gone, or stalled past the send timeout
    }
    return true;
}

void Connection::abort() noexcept {
    ::shutdown(socket_.native_handle(), SHUT_RDWR);
}

int Connection::takeOver() noexcept {
    boost::system::error_code error;
    const int fd = socket_.release(error);
    if (error || fd < 0) {
        return -1;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);  // Poco's sockets block, with their own timeouts
    taken_over_.store(true);
    return fd;
}

}  // namespace sluice::core::server
