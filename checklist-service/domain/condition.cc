#include "checklist-service/domain/condition.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "checklist-service/domain/validation.h"
#include "google/protobuf/descriptor.h"

namespace preflight::checklist {

struct Condition::Node {
  enum class Kind {
    kConstant,
    kSubjectIn,
    kAccountSubjectIn,
    kAccountSubjectChanged,
    kHostingIn,
    kPayments,
    kMiniGame,
    kCategory,
    kProvinceIn,
    kNot,
    kAnd,
    kOr
  };
  Kind kind = Kind::kConstant;
  bool constant = true;
  // kSubjectIn / kHostingIn: the enum values that make the node true.
  std::vector<int> values;
  // kCategory: any of these codes; kProvinceIn: the template's province codes, `values` indexing
  // the ones that make the node true.
  std::vector<std::string> categories;
  // kNot: one child; kAnd / kOr: two.
  std::vector<std::shared_ptr<const Node>> children;
};

namespace {

using Node = Condition::Node;
using NodePtr = std::shared_ptr<const Node>;

// Deep and long enough for any hand-written condition, small enough that the recursive parser,
// evaluator and destructor cannot blow the stack.
constexpr int kMaxNesting = 64;
constexpr size_t kMaxLength = 4000;

enum class TokenKind {
  kIdentifier,
  kLeftParen,
  kRightParen,
  kComma,
  kAnd,
  kOr,
  kNot,
  kEqual,
  kNotEqual,
  kEnd
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  int column = 1;  // 1-based byte column
};

std::string Describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "the end of the condition";
  return absl::StrCat("'", token.text, "'");
}

absl::Status ErrorAt(int column, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("column ", column, ": ", problem));
}

bool IsIdentifierStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdentifierChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const int column = static_cast<int>(i) + 1;
    if (absl::ascii_isspace(c)) {
      ++i;
      continue;
    }
    if (IsIdentifierStart(c)) {
      size_t end = i + 1;
      while (end < text.size() && IsIdentifierChar(text[end])) ++end;
      tokens.push_back({TokenKind::kIdentifier, std::string(text.substr(i, end - i)), column});
      i = end;
      continue;
    }
    const absl::string_view two = text.substr(i, 2);
    if (two == "&&" || two == "||" || two == "==" || two == "!=") {
      const TokenKind kind = two == "&&"   ? TokenKind::kAnd
                             : two == "||" ? TokenKind::kOr
                             : two == "==" ? TokenKind::kEqual
                                           : TokenKind::kNotEqual;
      tokens.push_back({kind, std::string(two), column});
      i += 2;
      continue;
    }
    switch (c) {
      case '(':
        tokens.push_back({TokenKind::kLeftParen, "(", column});
        break;
      case ')':
        tokens.push_back({TokenKind::kRightParen, ")", column});
        break;
      case ',':
        tokens.push_back({TokenKind::kComma, ",", column});
        break;
      case '!':
        tokens.push_back({TokenKind::kNot, "!", column});
        break;
      case '&':
        return ErrorAt(column, "unexpected '&' (expected '&&')");
      case '|':
        return ErrorAt(column, "unexpected '|' (expected '||')");
      case '=':
        return ErrorAt(column, "unexpected '=' (expected '==')");
      default:
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
          return ErrorAt(column, "unexpected non-printable or non-ASCII character");
        }
        return ErrorAt(column, absl::StrCat("unexpected character '", std::string(1, c), "'"));
    }
    ++i;
  }
  tokens.push_back({TokenKind::kEnd, "", static_cast<int>(text.size()) + 1});
  return tokens;
}

// A closed vocabulary of enum value names, e.g. subjects or hostings.
struct Vocabulary {
  absl::string_view what;  // "subject", "hosting"
  std::vector<std::pair<std::string, int>> names;

  std::optional<int> Find(absl::string_view name) const {
    for (const auto& [known, value] : names) {
      if (known == name) return value;
    }
    return std::nullopt;
  }
  std::string Expected() const {
    return absl::StrJoin(names, ", ", [](std::string* out, const auto& entry) {
      absl::StrAppend(out, entry.first);
    });
  }
};

// Built from the proto enums, so a new subject or hosting in the API is usable in conditions
// without touching the parser. Value 0 (unspecified) is never a valid operand.
const Vocabulary& Subjects() {
  static const Vocabulary* const kSubjects = [] {
    auto* vocabulary = new Vocabulary{"subject", {}};
    const google::protobuf::EnumDescriptor* descriptor = v1::SubjectType_descriptor();
    for (int i = 0; i < descriptor->value_count(); ++i) {
      const auto subject = static_cast<v1::SubjectType>(descriptor->value(i)->number());
      if (subject == v1::SUBJECT_TYPE_UNSPECIFIED) continue;
      vocabulary->names.emplace_back(SubjectTypeName(subject), subject);
    }
    return vocabulary;
  }();
  return *kSubjects;
}

const Vocabulary& Hostings() {
  static const Vocabulary* const kHostings = [] {
    auto* vocabulary = new Vocabulary{"hosting", {}};
    const google::protobuf::EnumDescriptor* descriptor = v1::Hosting_descriptor();
    for (int i = 0; i < descriptor->value_count(); ++i) {
      const auto hosting = static_cast<v1::Hosting>(descriptor->value(i)->number());
      if (hosting == v1::HOSTING_UNSPECIFIED) continue;
      vocabulary->names.emplace_back(HostingName(hosting), hosting);
    }
    return vocabulary;
  }();
  return *kHostings;
}

constexpr absl::string_view kExpectedOperand =
    "expected 'subject', 'hosting', 'province', 'payments', 'mini_game', 'category(...)', "
    "'account_subject', 'account_subject_changed', 'true', 'false', '!' or '('";

// Recursive-descent parser. Precedence, loosest first: ||, &&, !; both binary operators are
// left-associative.
class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::set<std::string>& known_categories,
         const std::set<std::string>& known_provinces)
      : tokens_(std::move(tokens)),
        known_categories_(known_categories),
        known_provinces_(known_provinces) {}

  absl::StatusOr<NodePtr> ParseAll() {
    absl::StatusOr<NodePtr> root = ParseOr(0);
    if (!root.ok()) return root;
    if (Peek().kind != TokenKind::kEnd) {
      return ErrorAt(Peek().column,
                     absl::StrCat("expected '&&', '||' or the end of the condition but found ",
                                  Describe(Peek())));
    }
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[position_]; }
  const Token& Next() {
    const Token& token = tokens_[position_];
    if (token.kind != TokenKind::kEnd) ++position_;
    return token;
  }

  absl::Status Expect(TokenKind kind, absl::string_view what) {
    if (Peek().kind != kind) {
      return ErrorAt(Peek().column,
                     absl::StrCat("expected ", what, " but found ", Describe(Peek())));
    }
    Next();
    return absl::OkStatus();
  }

  static NodePtr Binary(Node::Kind kind, NodePtr left, NodePtr right) {
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->children = {std::move(left), std::move(right)};
    return node;
  }

  static NodePtr Negate(NodePtr child) {
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::kNot;
    node->children = {std::move(child)};
    return node;
  }

  absl::StatusOr<NodePtr> ParseOr(int depth) {
    absl::StatusOr<NodePtr> left = ParseAnd(depth);
    if (!left.ok()) return left;
    NodePtr result = *std::move(left);
    while (Peek().kind == TokenKind::kOr) {
      Next();
      absl::StatusOr<NodePtr> right = ParseAnd(depth);
      if (!right.ok()) return right;
      result = Binary(Node::Kind::kOr, std::move(result), *std::move(right));
    }
    return result;
  }

  absl::StatusOr<NodePtr> ParseAnd(int depth) {
    absl::StatusOr<NodePtr> left = ParseUnary(depth);
    if (!left.ok()) return left;
    NodePtr result = *std::move(left);
    while (Peek().kind == TokenKind::kAnd) {
      Next();
      absl::StatusOr<NodePtr> right = ParseUnary(depth);
      if (!right.ok()) return right;
      result = Binary(Node::Kind::kAnd, std::move(result), *std::move(right));
    }
    return result;
  }

  absl::StatusOr<NodePtr> ParseUnary(int depth) {
    if (depth > kMaxNesting) {
      return ErrorAt(Peek().column, absl::StrCat("nested deeper than ", kMaxNesting, " levels"));
    }
    if (Peek().kind == TokenKind::kNot) {
      Next();
      absl::StatusOr<NodePtr> operand = ParseUnary(depth + 1);
      if (!operand.ok()) return operand;
      return Negate(*std::move(operand));
    }
    return ParsePrimary(depth);
  }

  absl::StatusOr<NodePtr> ParsePrimary(int depth) {
    const Token& token = Peek();
    if (token.kind == TokenKind::kLeftParen) {
      Next();
      absl::StatusOr<NodePtr> inner = ParseOr(depth + 1);
      if (!inner.ok()) return inner;
      if (Peek().kind != TokenKind::kRightParen) {
        return ErrorAt(Peek().column, absl::StrCat("expected ')' but found ", Describe(Peek())));
      }
      Next();
      return inner;
    }
    if (token.kind != TokenKind::kIdentifier) {
      return ErrorAt(token.column, absl::StrCat(kExpectedOperand, " but found ", Describe(token)));
    }
    const Token name = Next();
    auto node = std::make_shared<Node>();
    if (name.text == "true" || name.text == "false") {
      node->kind = Node::Kind::kConstant;
      node->constant = name.text == "true";
      return NodePtr(std::move(node));
    }
    if (name.text == "payments") {
      node->kind = Node::Kind::kPayments;
      return NodePtr(std::move(node));
    }
    if (name.text == "mini_game") {
      node->kind = Node::Kind::kMiniGame;
      return NodePtr(std::move(node));
    }
    if (name.text == "category") return ParseCategory(std::move(node));
    if (name.text == "subject") {
      node->kind = Node::Kind::kSubjectIn;
      return ParseComparison(Subjects(), std::move(node));
    }
    if (name.text == "hosting") {
      node->kind = Node::Kind::kHostingIn;
      return ParseComparison(Hostings(), std::move(node));
    }
    if (name.text == "province") return ParseProvince(std::move(node));
    if (name.text == "account_subject") {
      node->kind = Node::Kind::kAccountSubjectIn;
      return ParseComparison(Subjects(), std::move(node));
    }
    if (name.text == "account_subject_changed") {
      node->kind = Node::Kind::kAccountSubjectChanged;
      return NodePtr(std::move(node));
    }
    return ErrorAt(name.column,
                   absl::StrCat("unknown name '", name.text, "' (", kExpectedOperand, ")"));
  }

  // After `subject` / `hosting` / `province`: `== X`, `!= X` or `in (X, Y, ...)`.
  absl::StatusOr<NodePtr> ParseComparison(const Vocabulary& vocabulary,
                                          std::shared_ptr<Node> node) {
    const Token op = Next();
    const bool in_list = op.kind == TokenKind::kIdentifier && op.text == "in";
    if (op.kind != TokenKind::kEqual && op.kind != TokenKind::kNotEqual && !in_list) {
      return ErrorAt(op.column, absl::StrCat("expected '==', '!=' or 'in' after '", vocabulary.what,
                                             "' but found ", Describe(op)));
    }
    if (in_list) {
      if (absl::Status s = Expect(TokenKind::kLeftParen, "'(' after 'in'"); !s.ok()) return s;
      for (;;) {
        absl::StatusOr<int> value = ParseValue(vocabulary);
        if (!value.ok()) return value.status();
        node->values.push_back(*value);
        if (Peek().kind == TokenKind::kComma) {
          Next();
          continue;
        }
        if (absl::Status s = Expect(TokenKind::kRightParen, "',' or ')'"); !s.ok()) return s;
        break;
      }
      return NodePtr(std::move(node));
    }
    absl::StatusOr<int> value = ParseValue(vocabulary);
    if (!value.ok()) return value.status();
    node->values.push_back(*value);
    if (op.kind == TokenKind::kNotEqual) return Negate(std::move(node));
    return NodePtr(std::move(node));
  }

  absl::StatusOr<int> ParseValue(const Vocabulary& vocabulary) {
    const Token& token = Peek();
    if (token.kind != TokenKind::kIdentifier) {
      return ErrorAt(token.column, absl::StrCat("expected a ", vocabulary.what,
                                                " (one of: ", vocabulary.Expected(), ") but found ",
                                                Describe(token)));
    }
    const std::optional<int> value = vocabulary.Find(token.text);
    if (!value) {
      return ErrorAt(token.column,
                     absl::StrCat("unknown ", vocabulary.what, " '", token.text,
                                  "' (expected one of: ", vocabulary.Expected(), ")"));
    }
    Next();
    return *value;
  }

  // After `category`: `(code, code, ...)` with at least one known code.
  absl::StatusOr<NodePtr> ParseCategory(std::shared_ptr<Node> node) {
    node->kind = Node::Kind::kCategory;
    if (absl::Status s = Expect(TokenKind::kLeftParen, "'(' after 'category'"); !s.ok()) return s;
    for (;;) {
      const Token& token = Peek();
      if (token.kind != TokenKind::kIdentifier) {
        return ErrorAt(token.column, absl::StrCat("expected a service category code but found ",
                                                  Describe(token)));
      }
      if (known_categories_.count(token.text) == 0) {
        return ErrorAt(token.column,
                       absl::StrCat("unknown category '", token.text, "' (expected one of: ",
                                    absl::StrJoin(known_categories_, ", "), ")"));
      }
      node->categories.push_back(token.text);
      Next();
      if (Peek().kind == TokenKind::kComma) {
        Next();
        continue;
      }
      if (absl::Status s = Expect(TokenKind::kRightParen, "',' or ')'"); !s.ok()) return s;
      break;
    }
    return NodePtr(std::move(node));
  }

  // After `province`: a comparison over the template's province codes, whose indexes the node
  // keeps in `values` next to the codes themselves. A launch whose province is not known yet
  // matches no `==` / `in` and every `!=`.
  absl::StatusOr<NodePtr> ParseProvince(std::shared_ptr<Node> node) {
    node->kind = Node::Kind::kProvinceIn;
    node->categories.assign(known_provinces_.begin(), known_provinces_.end());
    Vocabulary provinces{"province", {}};
    for (size_t i = 0; i < node->categories.size(); ++i) {
      provinces.names.emplace_back(node->categories[i], static_cast<int>(i));
    }
    return ParseComparison(provinces, std::move(node));
  }

  std::vector<Token> tokens_;
  size_t position_ = 0;
  const std::set<std::string>& known_categories_;
  const std::set<std::string>& known_provinces_;
};

bool Contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool EvaluateNode(const Node& node, const Profile& profile) {
  switch (node.kind) {
    case Node::Kind::kConstant:
      return node.constant;
    case Node::Kind::kSubjectIn:
      return Contains(node.values, profile.subject_type);
    case Node::Kind::kAccountSubjectIn:
      return Contains(node.values, profile.account_subject_type);
    case Node::Kind::kAccountSubjectChanged:
      return profile.account_subject_type != v1::SUBJECT_TYPE_UNSPECIFIED &&
             profile.account_subject_type != profile.subject_type;
    case Node::Kind::kHostingIn:
      return Contains(node.values, profile.hosting);
    case Node::Kind::kPayments:
      return profile.takes_payments;
    case Node::Kind::kMiniGame:
      return profile.mini_game;
    case Node::Kind::kCategory:
      return std::any_of(
          node.categories.begin(), node.categories.end(), [&](const std::string& code) {
            return std::find(profile.service_categories.begin(), profile.service_categories.end(),
                             code) != profile.service_categories.end();
          });
    case Node::Kind::kProvinceIn: {
      const auto it = std::find(node.categories.begin(), node.categories.end(), profile.province);
      return it != node.categories.end() &&
             Contains(node.values, static_cast<int>(it - node.categories.begin()));
    }
    case Node::Kind::kNot:
      return !EvaluateNode(*node.children[0], profile);
    case Node::Kind::kAnd:
      return EvaluateNode(*node.children[0], profile) && EvaluateNode(*node.children[1], profile);
    case Node::Kind::kOr:
      return EvaluateNode(*node.children[0], profile) || EvaluateNode(*node.children[1], profile);
  }
  return false;
}

}  // namespace

Condition::Condition() : root_(std::make_shared<const Node>()) {}
Condition::~Condition() = default;
Condition::Condition(const Condition& other) = default;
Condition& Condition::operator=(const Condition& other) = default;
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;

absl::StatusOr<Condition> Condition::Parse(absl::string_view expression,
                                           const std::set<std::string>& known_categories,
                                           const std::set<std::string>& known_provinces) {
  Condition condition;
  condition.text_ = std::string(expression);
  // An empty (or blank) expression is the always-true condition.
  if (absl::StripAsciiWhitespace(expression).empty()) return condition;
  if (expression.size() > kMaxLength) {
    return ErrorAt(static_cast<int>(kMaxLength) + 1,
                   absl::StrCat("condition longer than ", kMaxLength, " characters"));
  }
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(expression);
  if (!tokens.ok()) return tokens.status();
  Parser parser(*std::move(tokens), known_categories, known_provinces);
  absl::StatusOr<NodePtr> root = parser.ParseAll();
  if (!root.ok()) return root.status();
  condition.root_ = *std::move(root);
  return condition;
}

bool Condition::Evaluate(const Profile& profile) const {
  // A moved-from condition has no tree; treat it like the empty expression.
  return root_ == nullptr || EvaluateNode(*root_, profile);
}

}  // namespace preflight::checklist
