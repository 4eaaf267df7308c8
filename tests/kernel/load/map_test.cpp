// Map element operations on real kernel maps: sizes checked before the
// syscall, per-CPU value layout, iteration, queues, and pinned-map reuse.
#include <bpfxx/map.hpp>
#include <bpfxx/object.hpp>

#include "kernel/kernel_helpers.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace bpfxx::test {
namespace {

class MapTest : public testing::Test {
 protected:
  void SetUp() override { BPFXX_REQUIRE_ROOT(); }
};

MapSpec hash_spec() {
  MapSpec s;
  s.name = "test_hash";
  s.type = MapType::Hash;
  s.key_size = 4;
  s.value_size = 8;
  s.max_entries = 8;
  return s;
}

TEST_F(MapTest, HashUpdateLookupIterateDelete) {
  auto m = Map::create(hash_spec());
  ASSERT_TRUE(m) << m.error().describe();
  for (uint32_t k = 1; k <= 3; ++k) ASSERT_TRUE(m->update_as(k, uint64_t{k * 100}));
  auto v = m->lookup_as<uint64_t>(uint32_t{2});
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_EQ(*v, 200u);
  auto missing = m->lookup_as<uint64_t>(uint32_t{9});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::NotFound);
  EXPECT_EQ(missing.error().map(), "test_hash");

  std::vector<uint32_t> keys;
  std::vector<std::byte> cur;
  for (;;) {
    auto next = m->next_key(cur);
    ASSERT_TRUE(next) << next.error().describe();
    if (!*next) break;
    cur = **next;
    uint32_t k;
    std::memcpy(&k, cur.data(), 4);
    keys.push_back(k);
  }
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<uint32_t>{1, 2, 3}));

  uint32_t two = 2;
  ASSERT_TRUE(m->remove(std::as_bytes(std::span<uint32_t, 1>(&two, 1))));
  EXPECT_FALSE(m->lookup_as<uint64_t>(uint32_t{2}));
  auto again = m->update_as(uint32_t{1}, uint64_t{5}, UpdateFlag::NoExist);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().sys_errno(), EEXIST);
}

TEST_F(MapTest, WrongKeyOrValueSizeIsRefusedBeforeTheKernel) {
  auto m = Map::create(hash_spec());
  ASSERT_TRUE(m) << m.error().describe();
  auto bad_key = m->lookup_as<uint64_t>(uint64_t{1});
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error().code(), Errc::InvalidInput);
  EXPECT_NE(bad_key.error().message().find("key_size 4"), std::string::npos) << bad_key.error().describe();
  auto bad_value = m->update_as(uint32_t{1}, uint32_t{1});
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.error().code(), Errc::InvalidInput);
  EXPECT_EQ(bad_value.error().sys_errno(), 0);
}

TEST_F(MapTest, PerCpuValuesHaveOneSlotPerPossibleCpu) {
  MapSpec s;
  s.name = "pcpu";
  s.type = MapType::PercpuArray;
  s.key_size = 4;
  s.value_size = 4;  // rounded up to 8 per CPU
  s.max_entries = 2;
  auto m = Map::create(s);
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_TRUE(m->is_per_cpu());
  EXPECT_EQ(m->value_buffer_size() % 8, 0u);
  EXPECT_GE(m->value_buffer_size(), 8u);
  std::vector<std::byte> values(m->value_buffer_size());
  for (size_t cpu = 0; cpu < values.size() / 8; ++cpu) values[cpu * 8] = std::byte(cpu + 1);
  uint32_t key = 1;
  auto kb = std::as_bytes(std::span<uint32_t, 1>(&key, 1));
  ASSERT_TRUE(m->update(kb, values));
  auto back = m->lookup(kb);
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(*back, values);
}

TEST_F(MapTest, QueuePushPop) {
  MapSpec s;
  s.name = "queue";
  s.type = MapType::Queue;
  s.value_size = 4;
  s.max_entries = 4;
  auto m = Map::create(s);
  ASSERT_TRUE(m) << m.error().describe();
  for (uint32_t v : {7u, 8u}) ASSERT_TRUE(m->push(std::as_bytes(std::span<uint32_t, 1>(&v, 1))));
  auto first = m->pop();
  ASSERT_TRUE(first) << first.error().describe();
  uint32_t got;
  std::memcpy(&got, first->data(), 4);
  EXPECT_EQ(got, 7u);
}

TEST_F(MapTest, BadMapCreationExplainsItself) {
  MapSpec s;
  s.name = "bad_ring";
  s.type = MapType::Ringbuf;
  s.max_entries = 1000;  // not a power of two
  auto m = Map::create(s);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().sys_errno(), EINVAL);
  EXPECT_EQ(m.error().map(), "bad_ring");
  EXPECT_NE(m.error().hint().find("power of two"), std::string::npos) << m.error().describe();

  // A map whose program left its size to the loader, as libbpf-tools do.
  MapSpec unsized;
  unsized.name = "start";
  unsized.type = MapType::Hash;
  unsized.key_size = 4;
  unsized.value_size = 8;
  auto u = Map::create(unsized);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().sys_errno(), EINVAL);
  EXPECT_NE(u.error().hint().find("declares no max_entries"), std::string::npos) << u.error().describe();
}

TEST_F(MapTest, PinnedByNameMapIsReusedBySecondLoad) {
  ensure_bpffs();
  std::string root = "/sys/fs/bpf/bpfxx_test_" + std::to_string(::getpid());
  ASSERT_EQ(::mkdir(root.c_str(), 0700), 0);
  ObjectSpec spec = open_spec("maps_kinds");
  MapSpec* pinned = nullptr;
  for (MapSpec& m : spec.maps) {
    if (m.pinning == PinType::ByName) pinned = &m;
  }
  ASSERT_NE(pinned, nullptr) << "maps_kinds.bpf.c should declare a map pinned by name";
  std::string name = pinned->name;
  {
    auto first = Object::load(spec, {.pin_root = root});
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_TRUE(first->notes().empty());
    auto second = Object::load(spec, {.pin_root = root});
    ASSERT_TRUE(second) << second.error().describe();
    ASSERT_EQ(second->notes().size(), 1u);
    EXPECT_NE(second->notes()[0].find("reused"), std::string::npos);
    // Incompatible definition: refused, with the stale pin named.
    ObjectSpec changed = spec;
    changed.map(name)->max_entries += 1;
    auto third = Object::load(changed, {.pin_root = root});
    ASSERT_FALSE(third);
    EXPECT_NE(third.error().hint().find(root), std::string::npos) << third.error().describe();
  }
  ::unlink((root + "/" + name).c_str());
  EXPECT_EQ(::rmdir(root.c_str()), 0);
}

TEST_F(MapTest, MapInMapAndProgArrayGetTheirInitialSlots) {
  ObjectSpec spec = open_spec("maps_kinds");
  for (MapSpec& m : spec.maps) m.pinning = PinType::None;
  auto obj = Object::load(spec);
  ASSERT_TRUE(obj) << obj.error().describe();
  size_t checked = 0;
  for (const MapSpec& ms : spec.maps) {
    if (ms.initial_slots.empty()) continue;
    Map* m = obj->map(ms.name);
    ASSERT_NE(m, nullptr);
    for (uint32_t i = 0; i < m->max_entries(); ++i) {
      bool expected = false;
      for (const MapSlotInit& slot : ms.initial_slots) expected |= slot.index == i;
      // Lookups of fd-holding maps return the kernel id of what the slot holds.
      auto v = m->lookup_as<uint32_t>(i);
      EXPECT_EQ(v.has_value(), expected) << ms.name << "[" << i << "]";
      if (expected && v) {
        EXPECT_NE(*v, 0u);
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 2u) << "maps_kinds.bpf.c should initialise a map-in-map and a prog array slot";
}

}  // namespace
}  // namespace bpfxx::test
