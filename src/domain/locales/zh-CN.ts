import type { Locale } from './en.js';

/**
 * The package's words in Chinese (simplified), with the seed's names (【未发货】, 【买家取消】); the same keys as `en`.
 * @example
 * zhCN.texts.NO_LABEL; // '没有可作废的货件标签。'
 */
export const zhCN: Locale = {
  texts: {
    // Refusals, by code.
    EVENT_BEFORE_PLACEMENT: '该事件发生于 {at}，早于订单下单时间 {placedAt}，因此被拒绝。',
    BUYER_WINDOW_CLOSED:
      '买家自行取消订单的 {window}时限已过：买家可以申请取消订单（【我的账户】>【我的订单】>【申请取消】），但只有卖家才能取消相应订单。',
    ORDER_PENDING: '订单仍处于等待中：下单后 {window}内只有买家可以取消订单，且尚不能发货。',
    LABEL_GENERATED: '您已经生成货件标签：请告知买家您在此阶段无法取消订单，并请他们通过退货来获得退款。',
    NO_LABEL: '没有可作废的货件标签。',
    ALREADY_SHIPPED: '订单已发货并确认发货：请告诉买家订单已在运送途中，请买家通过退货来获得退款。',
    ALREADY_CANCELED:
      '订单已取消，取消无法撤销：如果您误取消了订单，可以通过“买家与卖家消息服务”联系买家；如果买家愿意，鼓励他们重新下单。',
    FULFILLED_BY_AMAZON: '该订单由亚马逊配送：卖家无法取消。',
    QUANTITY_EXCEEDS_REMAINING: '无法取消商品 {orderItemId} 的 {requested} 件：仅剩 {remaining} 件。',
    UNKNOWN_ITEM: '商品 {orderItemId} 不属于订单 {orderId}。',
    REFUSED_BY_MACHINE:
      '状态机在 {status} 状态下拒绝了 {event}：守卫条件“{guard}”不允许此操作（尽管本软件包的规则允许）。',
    // Refusals worded for a situation: the code stays the same.
    'ALREADY_CANCELED:auto':
      '由于未在规定时间内确认发货（最晚发货日期后 {autoCancel}），亚马逊已自动取消此订单；此次取消会计入您的取消率，且无法撤销。请通过“买家与卖家消息服务”联系买家；如果买家愿意，邀请他们重新下单。',
    'ALREADY_SHIPPED:conflict':
      '平台报告订单已取消，但本地记录显示订单已发货，已结束的订单无法再更改：请手动核对（买家可通过退货获得退款）。',
    'ALREADY_CANCELED:conflict': '平台报告订单已发货，但本地记录显示订单已取消，已结束的订单无法再更改：请手动核对。',
    'LABEL_GENERATED:buyer': '卖家已生成货件标签，此时任何人都无法取消订单：买家可在收到商品后通过退货获得退款。',
    'ORDER_PENDING:marketplace':
      '亚马逊报告该订单为【等待中】（尚不能发货，例如付款尚未授权）：在亚马逊报告其为【未发货】之前，卖家无法发货或取消订单。',
    'QUANTITY_EXCEEDS_REMAINING:ship':
      '无法为商品 {orderItemId} 发货 {requested} 件：仅有 {remaining} 件既未发货也未取消。',
    'FULFILLED_BY_AMAZON:ship': '该订单由亚马逊配送：由亚马逊购买货件标签并发货，卖家无法购买标签或确认发货。',
    // Outcomes of accepted events; some carry guidance too.
    orderPlaced: '订单 {orderId} 已下单；买家可在 {until} 之前自行取消。',
    buyerCanceled: '买家在下单后 {window}内自行取消了订单；这不会计入您的取消率。',
    officialRequest:
      '已记录针对商品 {items} 的正式订单取消申请：选择【买家取消】作为原因取消这些商品，不会对您的指标产生不利影响。',
    nonStandardRequest:
      '此申请（商品 {items}）不是正式的订单取消申请，据此取消订单可能会对您的指标产生不利影响。请买家按标准流程提交正式申请：“您可以在亚马逊账户中点击【我的账户】>【我的订单】>【申请取消】来找到相应订单”。如果因库存不足无法配送，请改选【无库存】作为原因取消订单。',
    requestAlreadyRecorded: '相同的取消申请（商品 {items}）已有记录；未重复记录，也不会再次通知任何人。',
    sellerCanceledNotCounted:
      '已应买家的正式申请以{reason}为原因取消 {quantity} 件商品；这不会计入您的取消率。亚马逊会分别向您和买家发送确认邮件。',
    sellerCanceledCounted:
      '已以{reason}为原因取消 {quantity} 件商品；这会计入您的取消率。亚马逊会分别向您和买家发送确认邮件。',
    buyerCanceledWithoutRequest:
      '已以{reason}为原因取消 {quantity} 件商品，但商品 {items} 没有正式的取消申请，因此会计入您的取消率。下次请先请买家申请取消（【我的账户】>【我的订单】>【申请取消】）。',
    buyerCanceledPartlyRequested:
      '已以{reason}为原因取消 {quantity} 件商品；正式申请未涵盖商品 {items}，因此此次取消会计入您的取消率。仅以【买家取消】取消已申请的商品，才不会计入。',
    labelGenerated: '已生成货件标签：此后订单无法再取消。',
    labelVoided: '已作废货件标签；订单仍无法取消，状态保持为已生成标签。',
    shipped: '已确认发货。',
    shippedLate: '在最晚发货日期之后确认发货；这会计入您的迟发率。',
    timePassed: '时间推进到 {at}；订单状态为{status}。',
    marketplaceCanceled: '平台报告该订单已于 {at} 由{by}取消；订单状态随之更新。',
    marketplaceShipped: '平台报告该订单已于 {at} 发货；订单状态随之更新。',
    marketplaceStatus: '平台报告该订单于 {at} 为{reported}状态；只有在订单不处于等待中时，卖家才能发货或取消订单。',
    marketplaceConflict:
      '平台报告的 {fact}（时间 {at}）与本订单的记录不一致（当时为{status}）；以平台为准，已按平台报告更新。请检查您的系统对该订单的处理。',
    joined: '检查器连接时该订单已在运行；其状态取自应用。',
    restored: '于 {at} 从保存的快照恢复，当时已是{status}；此前的事件不在这段历史中。',
    duplicate: '事件 {eventId} 已应用于此订单；未做任何更改。',
    acceptedByMachine: '状态机在 {status} 状态下接受了 {event}（尽管本软件包的规则会拒绝：{code}）。',
  },
  /** Cancel reasons by name: the seed's where it has one. */
  reasons: {
    NoInventory: '【无库存】',
    BuyerCanceled: '【买家取消】',
    ShippingAddressUndeliverable: '【无法配送至该地址】',
    CustomerExchange: '【买家换货】',
    GeneralAdjustment: '【一般调整】',
    CarrierCreditDecision: '【承运人信用决定】',
    RiskAssessmentInformationNotValid: '【风险评估信息无效】',
    CarrierCoverageFailure: '【承运人无法覆盖】',
    CustomerReturn: '【买家退货】',
    MerchandiseNotReceived: '【未收到商品】',
    CannotVerifyInformation: '【无法验证信息】',
    PricingError: '【定价错误】',
    RejectOrder: '【拒绝订单】',
    WeatherDelay: '【天气延误】',
    BuyerSelfCanceled: '【买家自行取消】',
    NotShippedInTime: '【未及时发货】',
  },
  /** Order statuses. */
  statuses: {
    'buyer-cancellable': '【等待中】（买家可取消）',
    unshipped: '【未发货】',
    'label-generated': '【已生成货件标签】',
    shipped: '【已发货】',
    canceled: '【已取消】',
    'auto-canceled': '【已自动取消】',
  },
  /** The marketplace's readiness words (Amazon's Pending and Unshipped). */
  reported: {
    pending: '【等待中】',
    unshipped: '【未发货】',
  },
  /** Who cancelled, as a marketplace fact names them. */
  parties: {
    buyer: '买家',
    seller: '卖家',
    amazon: '亚马逊',
    unknown: '平台未注明的一方',
  },
  /** A duration's units, one and many. */
  units: {
    day: ['天', '天'],
    hour: ['小时', '小时'],
    minute: ['分钟', '分钟'],
    second: ['秒', '秒'],
    millisecond: ['毫秒', '毫秒'],
  },
};
