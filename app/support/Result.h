#pragma once

#include <utility>
#include <variant>

namespace Pixapi {

// A value or an error. std::expected is not usable with clang 14 (needed for libFuzzer), hence this small type.
template <typename T, typename E>
class Result
{
public:
    Result(T value) // NOLINT(google-explicit-constructor): returning a value should read naturally
        : m_state(std::in_place_index<0>, std::move(value))
    {
    }
    static Result failure(E error) { return Result(std::in_place_index<1>, std::move(error)); }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_state); }
    T& value() & { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    const E& error() const { return std::get<1>(m_state); }

private:
    template <std::size_t I, typename V>
    Result(std::in_place_index_t<I> tag, V&& v)
        : m_state(tag, std::forward<V>(v))
    {
    }
    std::variant<T, E> m_state;
};

} // namespace Pixapi
